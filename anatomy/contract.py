"""Names the public contract (shared/CONTRACT.md §4-5) promises; the validator checks them.

Other tools and teaching material depend on these resolving, so they are kept here as plain
data and checked on every ``neuroloc validate`` and test run.
"""

from __future__ import annotations

CONTRACT_SITES: tuple[str, ...] = (
    *(f"root:{r}" for r in ("L1", "L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4")),
    "cauda-equina",
    "plexus:lumbar",
    "plexus:lumbosacral-trunk",
    "plexus:sacral",
    "nerve:lateral-femoral-cutaneous@inguinal-ligament",
    "nerve:femoral@pelvis",
    "nerve:femoral@inguinal-ligament",
    "nerve:saphenous@adductor-canal",
    "nerve:obturator@obturator-canal",
    "nerve:sciatic@sciatic-notch",
    "nerve:common-fibular@fibular-head",
    "nerve:tibial@popliteal-fossa",
    "nerve:tibial@tarsal-tunnel",
    "nerve:common-plantar-digital@2nd-interspace",
    "nerve:common-plantar-digital@3rd-interspace",
)

# Nerves for which the contract fixes the nerve but leaves the site name free.
CONTRACT_NERVES_WITH_SITES: tuple[str, ...] = (
    "superior-gluteal",
    "inferior-gluteal",
    "posterior-femoral-cutaneous",
    "deep-fibular",
    "superficial-fibular",
    "sural",
    "iliohypogastric",
    "ilioinguinal",
    "genitofemoral",
    "pudendal",
)

CONTRACT_VOCABULARY: dict[str, tuple[str, ...]] = {
    "muscle": (
        "iliopsoas", "psoas major", "iliacus", "sartorius", "quadriceps", "rectus femoris",
        "vastus lateralis", "vastus medialis", "vastus intermedius", "pectineus",
        "adductor longus", "adductor brevis", "adductor magnus", "gracilis", "gluteus maximus",
        "gluteus medius", "gluteus minimus", "tensor fasciae latae", "piriformis",
        "biceps femoris long head", "biceps femoris short head", "semitendinosus",
        "semimembranosus", "tibialis anterior", "extensor hallucis longus",
        "extensor digitorum longus", "extensor digitorum brevis", "fibularis longus",
        "fibularis brevis", "tibialis posterior", "gastrocnemius", "medial gastrocnemius",
        "soleus", "flexor digitorum longus", "flexor hallucis longus", "abductor hallucis",
        "abductor digiti minimi (foot)", "external anal sphincter", "lumbar paraspinals",
        "peroneus longus", "peroneus brevis", "biceps femoris",
        "TA", "EHL", "EDL", "EDB", "FDL", "FHL", "TFL", "VL", "VM", "RF", "BFSH", "BFLH", "MG",
        "AH",
    ),
    "movement": (
        "hip flexion", "hip extension", "hip abduction", "hip adduction", "knee extension",
        "knee flexion", "ankle dorsiflexion", "ankle plantarflexion", "foot inversion",
        "foot eversion", "great toe extension", "toe flexion",
    ),
    "reflex": (
        "knee", "patellar", "ankle", "Achilles", "adductor", "medial hamstring", "anal",
        "cremasteric",
    ),
    "sensory": (
        "groin", "anterior thigh", "lateral thigh", "medial thigh", "posterior thigh", "buttock",
        "medial knee", "medial leg", "lateral leg", "posterior calf", "medial malleolus",
        "dorsum of foot", "first web space", "great toe", "lateral foot", "little toe", "heel",
        "sole", "interdigital 2-3", "interdigital 3-4", "saddle",
    ),
    "snap": (
        "sural", "superficial fibular", "superficial peroneal", "saphenous",
        "lateral femoral cutaneous", "medial plantar",
    ),
}  # fmt: skip
