"""The SDK's version: the same number as the service and the app (package.json at the repository root).

Set by ``npm run set-version -- <version>`` with every other copy; a unit test fails when they drift.
"""

__version__ = "0.1.0"
