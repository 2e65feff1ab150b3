"""YAML documents with located errors: parsing that keeps line and column, pydantic
validation turned into ``file:line:col`` problems, and the field types both the
knowledge base and the risk quiz are declared with."""
