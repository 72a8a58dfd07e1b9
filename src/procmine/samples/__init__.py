"""The bundled sample: a simulated customer process with known deviations from its documented model."""
