"""Meetings, their sessions and agenda, participants and attendance."""
