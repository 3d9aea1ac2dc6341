"""Early warning of arrest: signals known by a date, a hazard model, honest backtests.

Pure computation (numpy, pandas, scikit-learn) lives in ``signals``, ``outcomes``, ``panel``,
``model`` and ``backtest`` and works on the plain arrays of :class:`vigil.warning.record.
WarningRecord`; only ``loading`` (and ``planted``, which writes the synthetic record) touch
Django. Risk scores are confidential: nothing here writes them to open data or exports.
"""
