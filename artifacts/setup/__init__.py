"""The AE chair's configuration: settings, badge set and its combinations, AE dates."""
