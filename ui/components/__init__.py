"""Rendering pieces shared by the pages: they only display what the API computed."""
