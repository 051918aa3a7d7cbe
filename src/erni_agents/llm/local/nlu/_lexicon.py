"""Word lists shared by the extractors: words that are never a person's name, and Swiss places."""

from __future__ import annotations

from erni_agents.domain.vocab import fold
from erni_agents.llm.local.nlu.language import ENGLISH_WORDS, GERMAN_WORDS, word_set

_EXTRA_COMMON = """
hi hey hallo hello hoi sali salu servus moin gruezi gruessech grussech griezi ciao tschau adieu ade bye
goodbye ok okay yes yeah yep no nope nein ja jawohl gerne gern genau klar perfekt perfect super great
fine good gut prima top passt stimmt richtig correct right exactly sure thanks thank danke merci vielen
dank besten herzlichen sorry pardon entschuldigung please bitte cheers regards gruss grusse grüsse
greetings best lg mfg hallo guten morgen tag abend abende evening morning afternoon noon mittag
nachmittag vormittag today tomorrow heute morgen ubermorgen uebermorgen next nachste nachsten naechsten
kommenden this diese diesen monday tuesday wednesday thursday friday saturday sunday montag dienstag
mittwoch donnerstag freitag samstag sonntag january february march april may june july august september
october november december januar februar marz maerz mai juni juli oktober dezember week woche weekend
wochenende timber wood wooden holz holzbau holzbauweise systembau systembauweise elementbau prefab
modular system build house haus home building gebaude projekt project status stand fortschritt progress
kosten cost costs price preis offerte quote estimate termin appointment meeting beratung consultation
architekt architect architektin ingenieur engineer bauleiter bauleitung manager einfamilienhaus
mehrfamilienhaus efh mfh agrar renovation sanierung umbau scheune barn stall farm frage question info
information hilfe help erni gruppe schongau herr frau mr mrs ms dr familie family kunde kundin customer
landwirt bauer farmer rentner interessiert interested new neu fertig finished done ready also auch noch
schon nur nr no nummer projektnummer auftragsnummer auftrag status update email e-mail mail phone
telefon handy natel nummer number name nachname vorname quadratmeter square meters metres meter sqm qm
swiss german english french italian american british austrian schweizer schweizerin deutscher deutsche
back here ready sorry happy glad retired married new yesterday gestern vorgestern
"""

COMMON_WORDS: frozenset[str] = frozenset(
    fold(w) for w in (*GERMAN_WORDS, *ENGLISH_WORDS, *word_set(_EXTRA_COMMON))
)

# Titles and name particles: "Frau Huber", "Anna von Gunten".
TITLES = frozenset({"herr", "frau", "mr", "mrs", "ms", "miss", "dr", "prof", "familie", "family"})
NAME_PARTICLES = frozenset(
    {"von", "van", "de", "der", "den", "di", "da", "du", "la", "le", "del", "dos", "zu", "vom"}
)

# Cantons, towns and regions customers of a Lucerne-based company are likely to name. Matching is
# on folded names, so "Zürich", "Zurich" and "zürich" all count.
SWISS_PLACES: frozenset[str] = frozenset(
    fold(p)
    for p in word_set(
        """
Luzern Lucerne Zug Zürich Zurich Bern Berne Basel Genf Geneva Genève Lausanne Aarau Baden Olten
Solothurn Schwyz Sarnen Stans Altdorf Glarus Chur Winterthur Thun Biel Bienne Freiburg Fribourg
Neuenburg Neuchâtel Sitten Sion Lugano Bellinzona Locarno Schaffhausen Frauenfeld Herisau Appenzell
Liestal Emmen Kriens Horw Ebikon Sursee Hochdorf Hitzkirch Beromünster Schongau Muri Wohlen Lenzburg
Zofingen Willisau Wolhusen Entlebuch Schüpfheim Escholzmatt Meggen Küssnacht Cham Baar Rotkreuz Risch
Hünenberg Steinhausen Unterägeri Oberägeri Menzingen Sins Dietwil Oberrüti Abtwil Auw Aesch Mosen
Ermensee Gelfingen Hämikon Müswangen Rickenbach Menziken Reinach Beinwil Seengen Meisterschwanden
Fahrwangen Sempach Neuenkirch Rothenburg Inwil Eschenbach Ballwil Root Dierikon Buchrain Adligenswil
Udligenswil Weggis Vitznau Gersau Brunnen Einsiedeln Engelberg Andermatt Davos Interlaken Grindelwald
Zermatt Uster Dübendorf Wädenswil Horgen Affoltern Dietikon Wettingen Brugg Rheinfelden Bremgarten
Villmergen Dottikon Mellingen Burgdorf Langenthal Langnau Huttwil Malters Littau Ruswil Buttisholz
Nottwil Oberkirch Triengen Dagmersellen Reiden Nebikon Altishofen Ettiswil Grosswangen Schötz Gunzwil
Neudorf Rain Römerswil Hohenrain Kleinwangen Lieli Hildisrieden Eich Schenkon Aargau Thurgau Graubünden
Wallis Valais Tessin Ticino Waadt Vaud Uri Obwalden Nidwalden Jura Seetal Freiamt Emmental Oberland
Innerschweiz Zentralschweiz Rigi Pilatus Schweiz Switzerland Deutschland Germany Österreich Austria
Liechtenstein Emmenbrücke Gisikon Honau Perlen Hergiswil Alpnach Sachseln Giswil
"""
    )
) | frozenset({"st. gallen", "st gallen", "st. moritz", "st moritz", "la chaux-de-fonds"})

# Typical endings of Swiss German place names, for towns missing from the list above.
PLACE_SUFFIXES = (
    "wil",
    "wyl",
    "ikon",
    "iken",
    "ingen",
    "dorf",
    "berg",
    "bach",
    "matt",
    "hausen",
    "stetten",
    "egg",
    "kirch",
    "munster",
    "burg",
    "brunnen",
    "schwand",
    "schwanden",
    "brucke",
    "rieden",
    "wangen",
    "hofen",
)
