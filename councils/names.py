"""Finding a council by any of the names people write it with."""

import dataclasses
import re

# Words that say what kind of council a name is, not which: "Essex CC" and "Thurrock Borough
# Council" name the councils called Essex and Thurrock.
GENERIC_WORDS = frozenset(
    ["county", "city", "borough", "metropolitan", "district", "council", "of", "the"]
    + ["cc", "ua", "mbc", "bc", "dc"]  # county council, unitary authority, borough councils
)


def name_key(name):
    """A name as compared: lower-case words, '&' as 'and' ("Barking & Dagenham")."""
    return " ".join(re.findall(r"[^\W_]+", name.casefold().replace("&", " and ")))


def place_key(name):
    """A name's key without the words for a kind of council: "Essex CC" as "essex"."""
    return " ".join(word for word in name_key(name).split() if word not in GENERIC_WORDS)


@dataclasses.dataclass
class NameMatch:
    """What a name finds: one council, or the councils it could be (then it finds none)."""

    council: object = None
    candidates: list = dataclasses.field(default_factory=list)

    def __bool__(self):
        return self.council is not None or bool(self.candidates)


class NameIndex:
    """The councils by every name they are known by (`Council.all_names`): official name,
    short name and other spellings. A name two councils share finds neither."""

    def __init__(self, councils):
        self.councils = {}
        self.ambiguous = {}  # key: the councils that share it
        for council in councils:
            for key in {name_key(name) for name in council.all_names()}:
                if key in self.ambiguous:
                    self.ambiguous[key].append(council)
                elif key in self.councils and self.councils[key] != council:
                    self.ambiguous[key] = [self.councils.pop(key), council]
                else:
                    self.councils[key] = council

    def get(self, *names):
        """The council any of these names belongs to, or None."""
        for name in names:
            council = self.councils.get(name_key(name))
            if council is not None:
                return council
        return None

    def match(self, name):
        """The council a name as printed in a report is: by any of its names, or else by the
        place in it without words such as "County Council" or "CC" ("Essex CC" is Essex).
        A name that two councils share is not guessed: the match names both instead."""
        for key in (name_key(name), place_key(name)):
            if key in self.councils:
                return NameMatch(council=self.councils[key])
            if key in self.ambiguous:
                return NameMatch(candidates=self.ambiguous[key])
        return NameMatch()
