"""searchkit.index"""

from .whoosh_fixes import install as _install_whoosh_fixes

_install_whoosh_fixes()
