"""Exporters: the diary in standard formats. Each module turns a core Diary
into bytes (and, where the format allows, back)."""
