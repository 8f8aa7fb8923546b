"""The governance core: app factory, registry, meetings, access policy, realtime hub."""
