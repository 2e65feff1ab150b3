"""News feeds moderators follow (issue 14): the feed store, polling with conditional
GET and feedparser, and recognising stories already in the knowledge base or
already shown to moderators by their canonical URL.  No Discord imports."""
