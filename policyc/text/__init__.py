"""The text language every stage shares: placeholders, Markdown rules, review-date sums."""
