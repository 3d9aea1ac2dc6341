"""Protection cases for lawyers and defenders at risk, and the defence funds that pay for them."""
