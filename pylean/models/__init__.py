"""Small swappable models Lean's algorithms build by name (interest rates, volatility, shortable providers)."""
