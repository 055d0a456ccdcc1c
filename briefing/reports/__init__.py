"""The quarterly report: the roll-up of a quarter into an immutable snapshot, its
presentation (narrative, tables, charts), its files (PDF, XLSX) and the briefing pages."""
