"""Roster import (干部花名册) from the spreadsheets offices really keep.

The pipeline, one module per step:
  reading  — sniff the file (xlsx / xls / csv) from its content and stream its rows
  headers  — find the header row(s) under any title rows and map synonyms to fields
  parsing  — normalise each cell (ID numbers, 出生年月, ranks…) into a ParsedRow
  units    — match unit names inside the importer's scope
  plan     — classify each row against the database: new / update / unchanged / error
  commit   — write whole rows in batches, each batch its own transaction
  report   — the preview's row lists and the .xlsx error report
  importer — runs the steps for the CLI and the background jobs
"""
