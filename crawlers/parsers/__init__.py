"""Article extraction: one generic parser; per-publisher modules only where it fails."""
