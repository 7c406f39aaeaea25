"""The course's datasets, shipped inside the package as ``defection._data``.

This folder is a package only so that ``importlib.resources`` can find the CSV files
wherever the course is installed (editable, wheel, or a browser-based Jupyter).
Read ``README.md`` here for the data dictionary.
"""
