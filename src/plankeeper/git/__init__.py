"""The git layer: processes (process.py), states and change sets (states.py), the repository."""
