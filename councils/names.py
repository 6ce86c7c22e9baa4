"""Finding a council by any of the names people write it with."""

import re


def name_key(name):
    """A name as compared: lower-case words, '&' as 'and' ("Barking & Dagenham")."""
    return " ".join(re.findall(r"[^\W_]+", name.casefold().replace("&", " and ")))


class NameIndex:
    """The councils by every name they are known by (`Council.all_names`): official name,
    short name and other spellings. A name two councils share finds neither."""

    def __init__(self, councils):
        self.councils = {}
        ambiguous = set()
        for council in councils:
            for key in {name_key(name) for name in council.all_names()}:
                if key in self.councils and self.councils[key] != council:
                    ambiguous.add(key)
                self.councils[key] = council
        for key in ambiguous:
            del self.councils[key]

    def get(self, *names):
        """The council any of these names belongs to, or None."""
        for name in names:
            council = self.councils.get(name_key(name))
            if council is not None:
                return council
        return None
