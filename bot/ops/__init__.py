"""Operations: logging, heartbeat/health, backups."""
