"""The risk quiz: schema, loading with located checks, and pure scoring."""
