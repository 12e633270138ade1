"""Item pipelines, one verb_noun module each."""
