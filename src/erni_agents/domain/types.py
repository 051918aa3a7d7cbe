"""Canonical business vocabulary shared by every layer (the values tools accept and return)."""

from __future__ import annotations

from enum import StrEnum


class ProjectType(StrEnum):
    EINFAMILIENHAUS = "Einfamilienhaus"
    MEHRFAMILIENHAUS = "Mehrfamilienhaus"
    AGRAR = "Agrar"
    RENOVATION = "Renovation"


class ConstructionType(StrEnum):
    HOLZBAU = "Holzbau"
    SYSTEMBAU = "Systembau"


class SpecialistType(StrEnum):
    ARCHITEKT = "Architekt"
    HOLZBAU_INGENIEUR = "Holzbau-Ingenieur"
    BAULEITER = "Bauleiter"


class Language(StrEnum):
    DE = "de"
    EN = "en"
