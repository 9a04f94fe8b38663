"""ganxun (干训): education and training of cadres, end to end."""
