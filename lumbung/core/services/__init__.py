"""Every write of core. Keyword-only typed functions named <entity>_<verb>."""
