"""The typed, immutable model of the knowledge base.

Records mirror the YAML tables one to one (see ``anatomy/data/README.md``); ids carry their kind
as a prefix (``muscle:tibialis-anterior``, ``root:L5``, ``nerve:femoral@pelvis``) and are the
only join key anywhere in neuroloc. Display names are for people, never for lookups.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

Share = Literal["major", "minor"]
Level = Literal["central", "cord", "cauda-equina", "root", "plexus", "nerve", "diffuse"]
SIDES: tuple[str, ...] = ("left", "right", "both")
# Sensory modalities a zone may be tested in (CONTRACT §5c): each is a coverage row of its own
# (``vibration:sensory:great-toe``); a finding naming none is the zone's own row (any modality).
MODALITIES: tuple[str, ...] = ("pinprick", "temperature", "touch", "vibration", "proprioception")
# The modalities of the dorsal columns: the only ones a bony point takes.
DEEP_MODALITIES: tuple[str, ...] = ("vibration", "proprioception")
# Observation channels beyond a target's own id (anatomy/data/patterns.yaml): needle EMG
# denervation and myopathic patterns, upper-motor-neuron signs of a reflex, the sensory
# modalities and sweating of a zone, and the lower motor neuron signs of a muscle.
CHANNELS: tuple[str, ...] = (
    "denervation",
    "myopathic",
    "umn",
    *MODALITIES,
    "sweating",
    "wasting",
    "fasciculation",
)
# Spinal roots, rostral to caudal: the brachial plexus roots, the thoracic roots of the trunk
# dermatomes, then the lumbosacral.
CERVICAL_ROOTS: tuple[str, ...] = ("C5", "C6", "C7", "C8", "T1")
THORACIC_ROOTS: tuple[str, ...] = tuple(f"T{n}" for n in range(2, 13))
LUMBOSACRAL_ROOTS: tuple[str, ...] = ("L1", "L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4", "S5")
ROOT_NAMES: tuple[str, ...] = (*CERVICAL_ROOTS, *THORACIC_ROOTS, *LUMBOSACRAL_ROOTS)
# Spinal cord segments, rostral to caudal: the order of a sensory level (C2 ... S5).
SEGMENTS: tuple[str, ...] = (
    *(f"C{n}" for n in range(2, 9)),
    *(f"T{n}" for n in range(1, 13)),
    *(f"L{n}" for n in range(1, 6)),
    *(f"S{n}" for n in range(1, 6)),
)


class Strength(enum.IntEnum):
    """How strongly a lesion at a site is expected to affect a target (see coverage.yaml)."""

    NONE = 0
    ATYPICAL = 1  # a recorded exception (e.g. a foraminal ganglion); reported as "possible"
    POSSIBLE = 2
    # A major share that a lesion often spares: a root's limb muscle other than the ones its
    # lesions weaken first (L5 for tibialis posterior; extensor hallucis longus weakens first,
    # roots.yaml most_sensitive). Reported as "likely"; a strong explanation.
    PARTIAL = 3
    LIKELY = 4
    CERTAIN = 5

    @property
    def label(self) -> str:
        """The contract's word: certain, likely or possible (atypical links are possible, a
        partial major share is likely)."""
        if self is Strength.ATYPICAL:
            return "possible"
        return "likely" if self is Strength.PARTIAL else self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Strength:
        return cls[text.upper()]

    @classmethod
    def weakest(cls, word: str) -> Strength:
        """The weakest strength reported as ``word`` (``likely`` covers partial shares too).

        >>> Strength.weakest("likely").name
        'PARTIAL'
        """
        return min(s for s in cls if s is not cls.NONE and s.label == word)


def frozen_map(items: dict) -> MappingProxyType:
    return MappingProxyType(dict(items))


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    citation: str


@dataclass(frozen=True, slots=True)
class Root:
    id: str  # root:L5
    name: str  # L5
    label: str
    synonyms: tuple[str, ...]
    disc: str
    description: str
    sources: tuple[str, ...]
    # Muscles that show a lesion of this root before the others it supplies (EHL for L5):
    # where the root is recorded with them, its other sole-major muscles are partial shares.
    most_sensitive: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CaudaEquina:
    id: str  # cauda-equina
    label: str
    synonyms: tuple[str, ...]
    always: tuple[str, ...]  # root names always caught
    usually: tuple[str, ...]  # root names usually caught
    variable: tuple[str, ...]  # root names sometimes caught
    description: str
    sources: tuple[str, ...]

    @property
    def roots(self) -> tuple[str, ...]:
        caught = (*self.always, *self.usually, *self.variable)
        return tuple(r for r in ROOT_NAMES if r in caught)


@dataclass(frozen=True, slots=True)
class Plexus:
    id: str  # plexus:sacral
    label: str
    synonyms: tuple[str, ...]
    inputs: MappingProxyType  # root name -> "direct" | plexus id it passes through first
    description: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CourseStep:
    """One step along a nerve: a lesion site or a branch leaving the nerve."""

    kind: Literal["site", "branch"]
    ref: str  # site id for a site; target or nerve id for a branch
    label: str = ""
    often_spares: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Nerve:
    id: str  # nerve:femoral
    label: str
    synonyms: tuple[str, ...]
    origin: str  # plexus:ID | nerve:ID | "roots" (for a split origin: the first root's)
    roots: tuple[str, ...]
    course: tuple[CourseStep, ...]
    description: str
    sources: tuple[str, ...]
    # root -> plexus:ID | "roots", for a nerve formed from two elements (the median nerve takes
    # its C6-C7 fibres from the lateral cord and its C8-T1 fibres from the medial cord)
    root_origins: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    def origin_for(self, root: str) -> str:
        return self.root_origins.get(root, self.origin) if self.root_origins else self.origin

    @property
    def site_ids(self) -> tuple[str, ...]:
        return tuple(step.ref for step in self.course if step.kind == "site")


@dataclass(frozen=True, slots=True)
class Muscle:
    id: str
    label: str
    synonyms: tuple[str, ...]
    nerves: MappingProxyType  # nerve id -> share ({} for a group)
    roots: MappingProxyType  # root name -> share ({} for a group)
    disputed: MappingProxyType  # root name -> note
    parts: tuple[str, ...]  # muscle ids of a group; () for a single muscle
    test: str
    emg_only: bool
    midline: bool  # innervated from both sides (external anal sphincter)
    description: str
    sources: tuple[str, ...]
    bedside: bool = True  # can be graded on its own at the bedside
    paraspinal: str | None = None  # the root level of a paraspinal muscle
    length: int | None = None  # axon-length class 1..5 (anatomy/data/README.md)
    region: str | None = None  # proximal | distal | axial

    @property
    def is_group(self) -> bool:
        return bool(self.parts)


@dataclass(frozen=True, slots=True)
class Movement:
    id: str
    label: str
    synonyms: tuple[str, ...]
    prime_movers: tuple[str, ...]  # muscle ids
    description: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reflex:
    id: str
    label: str
    synonyms: tuple[str, ...]
    nerves: MappingProxyType  # nerve id -> share (the finger flexor reflex: median and ulnar)
    muscle: str | None
    roots: MappingProxyType
    disputed: MappingProxyType
    midline: bool
    umn_only: bool  # a sign of the upper motor neuron with no peripheral arc (plantar, Hoffmann)
    description: str
    sources: tuple[str, ...]
    length: int | None = None
    limb: str | None = None  # upper | lower, for a sign with no roots to tell it
    # The reflex released below when this arc is broken (the inverted supinator reflex: the
    # finger flexor reflex); the grade ``inverted`` observes both.
    inverts: str | None = None

    @property
    def nerve(self) -> str | None:
        """The main nerve of the arc (the first listed)."""
        return next(iter(self.nerves), None)


@dataclass(frozen=True, slots=True)
class Zone:
    id: str  # sensory:dorsum-of-foot
    label: str
    synonyms: tuple[str, ...]
    nerves: MappingProxyType
    roots: MappingProxyType
    disputed: MappingProxyType
    midline: bool
    description: str
    sources: tuple[str, ...]
    length: int | None = None
    # The modalities it is tested in: every one for a skin zone; vibration and joint position
    # only for a bony point (no cutaneous nerve, no fibre route: reached by patterns alone).
    modalities: tuple[str, ...] = MODALITIES

    @property
    def point(self) -> bool:
        """A bony point of vibration testing (iliac crest, knee, ankle ...), not a skin zone."""
        return not self.nerves


@dataclass(frozen=True, slots=True)
class Sign:
    """A target examined as a whole rather than per nerve: a sphincter (bladder, bowel), whose
    fibres run in the sacral roots of both sides, or a bedside sign with no route of its own
    (Romberg's sign), reached only by the patterns whose rules name it."""

    id: str  # sphincter:bladder | sign:romberg
    type: Literal["sphincter", "sign"]
    label: str
    synonyms: tuple[str, ...]
    nerves: MappingProxyType
    roots: MappingProxyType  # the segments it depends on (S2-S4 for the sphincters)
    midline: bool
    description: str
    sources: tuple[str, ...]
    length: int | None = None
    limb: str | None = None


@dataclass(frozen=True, slots=True)
class Study:
    id: str  # snap:sural | cmap:fibular-motor-edb | ncs:ulnar-motor-across-elbow
    type: Literal["snap", "cmap", "ncs"]
    label: str
    synonyms: tuple[str, ...]
    nerve: str | None  # snap: the nerve recorded
    roots: MappingProxyType  # snap: roots of the recorded fibres
    muscle: str | None  # cmap: the recording muscle
    atypical_roots: MappingProxyType  # snap: roots whose lesions reach it only exceptionally
    recording: str
    description: str
    sources: tuple[str, ...]
    sites: tuple[str, ...] = ()  # ncs: the lesion sites in the segment studied
    length: int | None = None


@dataclass(frozen=True, slots=True)
class Cause:
    label: str
    sources: tuple[str, ...]


# Bands for saying a prior in words: at least 1 referral in 25 is common, 1 in 70 uncommon.
PRIOR_WORDS = (("common", 0.04), ("uncommon", 0.014), ("rare", 0.0))


@dataclass(frozen=True, slots=True)
class Site:
    """A place a lesion can be: a root, the cauda equina, a plexus element or a nerve site."""

    id: str
    level: Level
    label: str
    structure: str  # the root, plexus or nerve id the site belongs to
    syndrome: str
    eponyms: tuple[str, ...]
    prior: float  # P(a lesion here, on one side | a referral for a limb complaint)
    prior_reason: str
    category: str
    causes: tuple[Cause, ...]
    often_spares: tuple[str, ...]
    sides: tuple[str, ...]  # (left, right) for most; (both,) for one process on both sides
    sources: tuple[str, ...]
    stage: str = ""  # a pattern's stage of reach (polyneuropathy: feet, knees)
    stage_label: str = ""
    nature: str = "neurogenic"  # neurogenic | myopathic | central
    notes: tuple[str, str] = ("", "")  # said when it leads; said when it leads with a nerve
    # P(the same site on the other side | one side), where it is not independent (sites.yaml).
    bilateral_rate: float | None = None
    # P(a one-sided presentation | this process of both sides) (patterns.yaml ``one_sided``).
    one_sided: float | None = None

    @property
    def bilateral(self) -> bool:
        """One lesion that reaches both sides (the cauda equina, the diffuse patterns)."""
        return self.sides == ("both",)

    @property
    def prior_word(self) -> str:
        """How common the site is, in words (ranking.yaml ``prior_words`` gives the bands)."""
        return next(word for word, floor in PRIOR_WORDS if self.prior >= floor)

    @property
    def public_id(self) -> str:
        """The id the contract names: a staged pattern is one id whatever its stage."""
        return self.structure if self.stage else self.id


@dataclass(frozen=True, slots=True)
class Target:
    """Anything a lesion can silence and an examination can test, with its fibre routes.

    A route is the tuple of node ids (cauda equina, root, plexus elements, nerves and nerve
    sites) that one root's fibres pass on their way to the target, with the route's share.
    """

    id: str
    kind: Literal["muscle", "reflex", "sensory", "snap", "ncs", "sphincter", "sign"]
    label: str
    midline: bool
    routes: tuple[tuple[tuple[str, ...], Share], ...] = field(default=())
