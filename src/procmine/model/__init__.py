"""Plain typed objects that the readers produce and the analyses consume."""
