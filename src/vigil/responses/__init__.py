"""The international response: interventions, state responses, forums, violation coding."""
