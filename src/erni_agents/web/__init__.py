"""The web front end served by the API process (chat, widget, agent panel, staff console)."""
