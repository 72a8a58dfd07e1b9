"""Static checks of BPMN model files. Imports neither pm4py nor pandas: it must stay fast."""
