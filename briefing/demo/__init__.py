"""The demo data `make run` loads (`manage.py load_demo`): recommendations of every
state and the Q3/2020 quarter the roll-up must reproduce (DOMAIN.md)."""
