"""Running builds: one briefing or a batch, atomic writes, the manifest,
workers, progress, reports, watch."""
