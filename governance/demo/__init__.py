"""The EXCOM 2024 Almaty meeting, loaded from the project's own copy of its facts."""
