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
    # upper limb (§4b)
    *(f"root:{r}" for r in ("C5", "C6", "C7", "C8", "T1")),
    "plexus:upper-trunk",
    "plexus:middle-trunk",
    "plexus:lower-trunk",
    "plexus:lateral-cord",
    "plexus:posterior-cord",
    "plexus:medial-cord",
    "nerve:suprascapular@suprascapular-notch",
    "nerve:suprascapular@spinoglenoid-notch",
    "nerve:axillary@quadrilateral-space",
    "nerve:radial@axilla",
    "nerve:radial@spiral-groove",
    "nerve:posterior-interosseous@supinator",
    "nerve:median@elbow",
    "nerve:anterior-interosseous@forearm",
    "nerve:median@carpal-tunnel",
    "nerve:ulnar@elbow",
    "nerve:ulnar@guyon-canal",
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
    # upper limb (§4b)
    "long-thoracic",
    "musculocutaneous",
    "superficial-radial",
    "deep-ulnar",
    "medial-antebrachial-cutaneous",
    "lateral-antebrachial-cutaneous",
    "dorsal-ulnar-cutaneous",
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
        # upper limb (§5b)
        "rhomboids", "serratus anterior", "supraspinatus", "infraspinatus", "deltoid",
        "teres minor", "latissimus dorsi", "pectoralis major", "pectoralis major clavicular head",
        "pectoralis major sternal head", "biceps", "brachialis", "brachioradialis", "triceps",
        "anconeus", "extensor carpi radialis longus", "supinator", "extensor digitorum communis",
        "extensor carpi ulnaris", "extensor indicis proprius", "extensor pollicis longus",
        "abductor pollicis longus", "pronator teres", "flexor carpi radialis",
        "flexor digitorum superficialis", "flexor pollicis longus",
        "flexor digitorum profundus (index and middle)",
        "flexor digitorum profundus (ring and little)", "flexor digitorum profundus",
        "pronator quadratus", "abductor pollicis brevis", "opponens pollicis",
        "flexor carpi ulnaris", "first dorsal interosseous", "abductor digiti minimi",
        "adductor pollicis", "cervical paraspinals", "C5 paraspinals", "C6 paraspinals",
        "C7 paraspinals", "C8 paraspinals", "T1 paraspinals", "L5 paraspinals",
        "APB", "ADM", "FDI", "FPL", "FDP", "FDS", "FCU", "FCR", "ECRL", "ECRB", "ECU", "EDC",
        "EIP", "EPL", "APL", "PT", "PQ", "BR",
    ),
    "movement": (
        "hip flexion", "hip extension", "hip abduction", "hip adduction", "knee extension",
        "knee flexion", "ankle dorsiflexion", "ankle plantarflexion", "foot inversion",
        "foot eversion", "great toe extension", "toe flexion",
        # upper limb (§5b)
        "shoulder abduction", "shoulder external rotation", "elbow flexion", "elbow extension",
        "wrist extension", "wrist flexion", "finger extension", "finger flexion",
        "finger abduction", "thumb abduction", "forearm pronation", "forearm supination",
    ),
    "reflex": (
        "knee", "patellar", "ankle", "Achilles", "adductor", "medial hamstring", "anal",
        "cremasteric",
        # upper limb (§5b)
        "biceps", "brachioradialis", "supinator", "triceps", "finger flexor",
        # the upper-motor-neuron signs (CONTRACT 5b)
        "plantar", "hoffmann",
    ),
    "sensory": (
        "groin", "anterior thigh", "lateral thigh", "medial thigh", "posterior thigh", "buttock",
        "medial knee", "medial leg", "lateral leg", "posterior calf", "medial malleolus",
        "dorsum of foot", "first web space", "great toe", "lateral foot", "little toe", "heel",
        "sole", "interdigital 2-3", "interdigital 3-4", "saddle",
        # upper limb (CONTRACT 5b)
        "lateral shoulder", "lateral forearm", "medial forearm", "medial arm",
        "posterior forearm", "thumb", "index finger", "middle finger", "ring finger (radial half)",
        "ring finger (ulnar half)", "little finger", "thenar eminence", "hypothenar eminence",
        "radial dorsum of hand", "ulnar dorsum of hand", "fingertips", "toes",
    ),
    "snap": (
        "sural", "superficial fibular", "superficial peroneal", "saphenous",
        "lateral femoral cutaneous", "medial plantar",
        # upper limb (CONTRACT 5b)
        "median", "ulnar", "dorsal ulnar cutaneous", "superficial radial",
        "lateral antebrachial cutaneous", "medial antebrachial cutaneous",
    ),
    "cmap": (
        "fibular motor", "fibular motor TA", "tibial motor", "femoral motor",
        # upper limb (CONTRACT 5b)
        "median", "ulnar", "ulnar FDI", "radial",
    ),
    "ncs": (
        "fibular motor across fibular head",
        "ulnar motor across elbow", "median across wrist", "radial motor across spiral groove",
    ),
}  # fmt: skip
