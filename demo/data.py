"""Word lists and generators for the demo conference: people, institutions, topics, papers.

Everything here is fictional. Institutions use the reserved ``.example`` top-level domain so no
demo address can ever reach a real mailbox. Every generator takes a ``random.Random`` so that one
seed always yields the same conference.
"""

import random
from dataclasses import dataclass, field

FIRST_NAMES = [
    "Aarav", "Abena", "Adrian", "Aiko", "Alejandro", "Amara", "Ananya", "Andrei", "Astrid",
    "Babajide", "Beatriz", "Bilal", "Camille", "Chen", "Chiara", "Dalia", "Daniel", "Dmitri",
    "Elena", "Emeka", "Esther", "Farah", "Felipe", "Fiona", "Gabriel", "Grace", "Hana", "Hassan",
    "Ingrid", "Isabel", "Jae-won", "Jamal", "Jia", "Joaquin", "Julia", "Kai", "Kavya", "Kenji",
    "Laila", "Lars", "Leila", "Lucas", "Mai", "Marco", "Maya", "Mehmet", "Mei", "Mikhail",
    "Nadia", "Naveen", "Nia", "Noah", "Olga", "Omar", "Pablo", "Priya", "Qiang", "Rafael",
    "Rania", "Ravi", "Rosa", "Ruslan", "Sakura", "Samuel", "Sara", "Sebastian", "Shreya",
    "Sofia", "Tariq", "Thanh", "Tobias", "Valentina", "Vikram", "Wei", "Xin", "Yara", "Yusuf",
    "Zainab", "Zhen", "Zoe",
]  # fmt: skip
LAST_NAMES = [
    "Abadi", "Adeyemi", "Alvarez", "Andersen", "Banerjee", "Becker", "Bianchi", "Castillo",
    "Chandra", "Chen", "Costa", "Dubois", "Eriksson", "Fernandes", "Fischer", "Gao", "Garcia",
    "Goldberg", "Gupta", "Haddad", "Hansen", "Huang", "Ibrahim", "Ito", "Ivanova", "Jansen",
    "Kapoor", "Kim", "Kowalski", "Krishnan", "Kumar", "Larsen", "Lee", "Li", "Lindqvist", "Liu",
    "Lopez", "Mahmoud", "Martins", "Mendoza", "Moreau", "Müller", "Nakamura", "Nguyen", "Novak",
    "Okafor", "Oliveira", "Park", "Patel", "Petrov", "Popescu", "Quispe", "Rahman", "Ramirez",
    "Rossi", "Sato", "Schmidt", "Shah", "Silva", "Singh", "Sokolov", "Suzuki", "Tanaka", "Torres",
    "Tran", "Van Dijk", "Vargas", "Wang", "Weber", "Wu", "Xu", "Yamamoto", "Yang", "Yilmaz",
    "Zhang", "Zhao", "Zhou", "Zimmermann",
]  # fmt: skip


@dataclass(frozen=True)
class Institution:
    name: str
    domain: str
    is_company: bool = False


UNIVERSITIES = [
    Institution("Northbridge University", "northbridge.example"),
    Institution("Lakeshore Institute of Technology", "lit.example"),
    Institution("University of Eastvale", "eastvale.example"),
    Institution("Westmoor University", "westmoor.example"),
    Institution("Aurora Polytechnic", "aurora-poly.example"),
    Institution("Halden Technical University", "halden-tu.example"),
    Institution("Riverside College of Computing", "rcc.example"),
    Institution("Summit State University", "summit-state.example"),
    Institution("Kestrel University", "kestrel.example"),
    Institution("Meridian Institute for Advanced Study", "meridian.example"),
    Institution("University of Port Alder", "portalder.example"),
    Institution("Silverpine University", "silverpine.example"),
    Institution("Cobalt Bay University", "cobaltbay.example"),
    Institution("Granite Hills Institute", "granitehills.example"),
]
COMPANIES = [
    Institution("Tensorloom Inc.", "tensorloom.example", True),
    Institution("Quanta Compute", "quantacompute.example", True),
    Institution("Nimbus Cloud Labs", "nimbus-labs.example", True),
    Institution("Helix AI Research", "helix-ai.example", True),
    Institution("Parallax Semiconductors", "parallax-semi.example", True),
    Institution("Orbitdata Systems", "orbitdata.example", True),
    Institution("Foundry Mobile", "foundry-mobile.example", True),
    Institution("Lumen Accelerators", "lumen-accel.example", True),
]
INSTITUTIONS = UNIVERSITIES + COMPANIES

#: (name, ML-side phrase used in titles, Systems-side phrase) per topic; ~20 per area.
ML_TOPICS = [
    ("Efficient inference", "low-latency neural network inference"),
    ("Large language models", "large language models"),
    ("Sparsity & quantization", "sparse and quantized transformers"),
    ("Federated learning", "cross-device federated learning"),
    ("Model compression", "compressed vision models"),
    ("Neural architecture search", "hardware-aware architecture search"),
    ("Reinforcement learning", "reinforcement learning agents"),
    ("Graph neural networks", "graph neural network training"),
    ("Recommendation models", "deep learning recommendation models"),
    ("Mixture of experts", "mixture-of-experts models"),
    ("Optimization for deep learning", "large-batch optimization"),
    ("Training efficiency", "compute-efficient pre-training"),
    ("Privacy-preserving ML", "differentially private training"),
    ("Robustness & reliability of ML", "robust model deployment"),
    ("Generative models", "diffusion model sampling"),
    ("Retrieval-augmented generation", "retrieval-augmented generation"),
    ("On-device learning", "on-device fine-tuning"),
    ("ML for science", "scientific machine learning workloads"),
    ("Data quality & curation", "training data pipelines"),
    ("Evaluation & benchmarking", "reproducible ML benchmarking"),
]
SYSTEMS_TOPICS = [
    ("LLM serving", "a disaggregated KV cache manager"),
    ("Compilers for ML", "compiler-driven operator fusion"),
    ("Distributed training", "elastic pipeline parallelism"),
    ("Hardware accelerators", "a systolic-array accelerator"),
    ("ML for systems", "learned cost models"),
    ("Memory management", "tiered GPU–host memory paging"),
    ("Scheduling & resource management", "SLO-aware cluster scheduling"),
    ("Networking for ML", "topology-aware collective communication"),
    ("Storage & data loading", "a streaming data loader"),
    ("Edge & mobile systems", "adaptive edge offloading"),
    ("Cloud & serverless ML", "serverless model endpoints"),
    ("Fault tolerance", "asynchronous checkpointing"),
    ("GPU kernels", "auto-tuned GPU kernels"),
    ("Parallelism strategies", "automatic tensor sharding"),
    ("Energy efficiency", "power-capped execution"),
    ("Programming models & frameworks", "a dataflow programming model"),
    ("Databases & ML", "in-database model execution"),
    ("Security of ML systems", "trusted execution environments"),
    ("Performance modeling", "analytical performance models"),
    ("Hardware–software co-design", "hardware–software co-design"),
]

SYSTEM_NAMES = [
    "Tessera", "Quill", "Halyard", "Marlin", "Cinder", "Lattice", "Pennant", "Zephyr", "Argo",
    "Basalt", "Corvid", "Dynamo", "Ember", "Fathom", "Gossamer", "Harbor", "Ion", "Juniper",
    "Kite", "Mosaic", "Nebula", "Onyx", "Prism", "Quartz", "Relay", "Sierra", "Tandem", "Umbra",
    "Vesper", "Wharf", "Xylem", "Yarrow", "Zenith", "Atlas", "Bramble", "Cascade", "Drift",
    "Ferrite", "Anvil", "Beacon", "Conduit", "Dovetail", "Fulcrum", "Gantry", "Hopper",
    "Isthmus", "Lantern", "Mortar", "Ratchet", "Spindle", "Trellis", "Winch", "Glacier",
    "Helios", "Inlet", "Jetty", "Keel", "Loom", "Orchard", "Pylon", "Rook", "Sextant", "Tiller",
    "Vane", "Weft",
]  # fmt: skip
GERUNDS = ["Serving", "Training", "Scaling", "Accelerating", "Compiling", "Scheduling",
           "Deploying", "Checkpointing", "Profiling", "Partitioning"]  # fmt: skip
ADJECTIVES = ["Efficient", "Elastic", "Predictable", "Cost-Effective", "Memory-Frugal",
              "Fault-Tolerant", "Energy-Aware", "Latency-Optimal", "Scalable",
              "Adaptive"]  # fmt: skip
PLATFORMS = ["Commodity GPUs", "Heterogeneous Clusters", "Mobile SoCs", "Multi-Tenant Clouds",
             "Wafer-Scale Hardware", "Edge Devices", "Preemptible Instances"]  # fmt: skip
METRICS = ["throughput", "p99 latency", "time-to-accuracy", "memory footprint",
           "energy per token", "cost per query", "GPU utilization"]  # fmt: skip
BASELINES = ["vLLM-style paging", "a tuned PyTorch baseline", "DeepSpeed ZeRO-3",
             "static batching", "XLA with default heuristics", "TensorRT",
             "a hand-written CUDA baseline", "round-robin placement"]  # fmt: skip
WORKLOADS = ["Llama-style 70B models", "ResNet-50 and ViT-L", "DLRM on Criteo-scale data",
             "a 64-expert MoE", "GraphSAGE on billion-edge graphs", "Stable-Diffusion-class models",
             "BERT-Large fine-tuning", "GPT-style 13B pre-training"]  # fmt: skip
#: Surnames used only in reference lists, so that no reference names a demo person.
REF_SURNAMES = ["Ackerman", "Brandt", "Calloway", "Delacroix", "Ekwueme", "Falk", "Gorski",
                "Holloway", "Iverson", "Jovanovic", "Kaminski", "Lindgren", "Marchetti",
                "Nakashima", "Oyelaran", "Pettersson", "Quintero", "Rasmussen"]  # fmt: skip
VENUES = ["MLSys", "OSDI", "SOSP", "NeurIPS", "ICML", "ASPLOS", "ISCA", "EuroSys", "NSDI",
          "ICLR", "ATC", "SC", "MICRO", "PPoPP"]  # fmt: skip


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    institution: Institution
    past: tuple[tuple[str, int, int], ...] = ()  # (institution, start, end)


def _slug(text: str) -> str:
    keep = "".join(ch.lower() if ch.isascii() and ch.isalnum() else " " for ch in text)
    return ".".join(keep.split())


def make_people(
    rng: random.Random,
    count: int,
    institutions: list[Institution],
    taken: set[str],
    past_pool: list[Institution] | None = None,
) -> list[Person]:
    """``count`` people with unique names (not in ``taken``, which is updated) at ``institutions``.

    About a third get a past affiliation from ``past_pool`` (default: ``institutions``), so
    affiliation history has content without creating accidental conflicts.
    """
    past_pool = past_pool or institutions
    people = []
    while len(people) < count:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name in taken:
            continue
        taken.add(name)
        inst = rng.choice(institutions)
        past = ()
        if rng.random() < 0.35:
            prev = rng.choice([i for i in past_pool if i != inst] or past_pool)
            start = rng.randint(2012, 2019)
            past = ((prev.name, start, rng.randint(start + 1, 2023)),)
        people.append(Person(name, f"{_slug(name)}@{inst.domain}", inst, past))
    return people


@dataclass
class PaperText:
    title: str
    abstract: str
    system: str
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    figure_caption: str = ""


def make_title(rng: random.Random, system: str, ml_phrase: str, sys_phrase: str) -> str:
    templates = [
        "{S}: {G} {ml} with {sys}",
        "{G} {ml} via {sys}",
        "{S}: {A} {ml} on {P}",
        "Rethinking {sys} for {ml}",
        "{S}: Making {ml} Practical with {sys}",
        "Towards {A} {ml} at Scale",
    ]
    template = rng.choice(templates)
    return _title_case(
        template.format(
            S=system,
            G=rng.choice(GERUNDS),
            A=rng.choice(ADJECTIVES),
            P=rng.choice(PLATFORMS),
            ml=ml_phrase,
            sys=sys_phrase,
        )
    )


_SMALL = {"a", "an", "and", "at", "for", "in", "of", "on", "the", "to", "via", "with"}


def _title_case(text: str) -> str:
    words = text.split(" ")
    out = []
    for i, word in enumerate(words):
        if i and word in _SMALL:
            out.append(word)
        elif word and word[0].islower():
            parts = word.replace("–", "-").split("-")
            out.append(
                "-".join(p if p in _SMALL else p[:1].upper() + p[1:] for p in parts).replace(
                    "-", "–" if "–" in word else "-"
                )
            )
        else:
            out.append(word)
    return " ".join(out)


def _numbers(rng: random.Random) -> dict[str, str]:
    return {
        "x": f"{rng.uniform(1.4, 4.8):.1f}",
        "pct": str(rng.randint(18, 71)),
        "m1": rng.choice(METRICS),
        "m2": rng.choice(METRICS),
        "base": rng.choice(BASELINES),
        "work": rng.choice(WORKLOADS),
        "gpus": str(rng.choice([8, 16, 32, 64, 128, 256, 512])),
    }


def make_abstract(rng: random.Random, system: str, ml_phrase: str, sys_phrase: str) -> str:
    n = _numbers(rng)
    sentences = [
        f"Demand for {ml_phrase} is growing faster than the hardware that runs it.",
        rng.choice(
            [
                f"Existing systems treat {n['m1']} and {n['m2']} as separate concerns and leave "
                "much of the available capacity idle.",
                f"Current approaches such as {n['base']} were designed for smaller models and "
                "break down under realistic, bursty workloads.",
                "Prior work optimizes each layer of the stack in isolation, missing the "
                "cross-layer interactions that dominate end-to-end cost.",
            ]
        ),
        f"We present {system}, a system that combines {sys_phrase} with a workload-aware "
        "runtime that adapts to the model, the hardware and the request mix.",
        rng.choice(
            [
                f"{system} profiles each operator once, builds a cost model, and re-plans "
                "execution online when the workload shifts.",
                f"The key insight behind {system} is that most of the state can be placed "
                "lazily, which hides data movement behind computation.",
                f"{system} exposes a small declarative interface, so existing training and "
                "serving code needs only a few lines of changes.",
            ]
        ),
        f"We implement {system} in about {rng.randint(6, 30)}k lines of Python and C++ and "
        f"evaluate it on {n['work']} across up to {n['gpus']} GPUs.",
        f"Compared with {n['base']}, {system} improves {n['m1']} by {n['x']}× and reduces "
        f"{n['m2']} by {n['pct']}% without loss of model quality.",
        rng.choice(
            [
                f"{system} is open source.",
                "We discuss lessons learned from deploying it in production for six months.",
                "Our results suggest that co-designing the model and the system is essential.",
            ]
        ),
    ]
    return " ".join(sentences)


_FILLER = [
    "Modern deployments run many models side by side, and each model has its own "
    "balance between compute, memory bandwidth and communication.",
    "A naive implementation spends most of its time waiting on data movement rather than "
    "on arithmetic, which leaves accelerators underutilized.",
    "We observe that the working set of a typical request is small and predictable, "
    "which opens the door to prefetching and reuse.",
    "The design space is large: batching, placement, precision and parallelism all "
    "interact, and the best choice depends on the workload.",
    "Our profiler records per-operator timings with low overhead and feeds them to the "
    "planner, which searches the space with a simple greedy heuristic.",
    "We deliberately keep the interface small so that model authors do not need to reason "
    "about the underlying hardware.",
    "Each component can be disabled independently, which lets us attribute the overall "
    "speedup to individual design decisions.",
    "Unless noted otherwise, every experiment is repeated five times and we report the "
    "median together with the interquartile range.",
    "The gap widens as the model grows, because the baseline's memory overhead increases "
    "faster than the useful work.",
    "Under bursty arrivals the runtime re-plans within a few milliseconds, so tail latency "
    "stays within the service-level objective.",
    "Scheduling decisions are made per iteration rather than per request, which avoids "
    "head-of-line blocking behind long sequences.",
    "The cost model is accurate to within ten percent on held-out configurations, which is "
    "sufficient for ranking candidate plans.",
    "Accuracy is unchanged within the noise of repeated training runs, confirming that the "
    "optimizations are semantics-preserving.",
    "We also tried a reinforcement-learning-based planner; it found similar plans but took "
    "two orders of magnitude longer to converge.",
    "Communication is overlapped with computation by splitting each collective into chunks "
    "that are pipelined with the backward pass.",
    "These results hold across three hardware generations, suggesting that the approach is "
    "not tied to a particular accelerator.",
]


def _paragraph(rng: random.Random, system: str, n: dict[str, str], length: int, lead: bool) -> str:
    if not lead:
        return " ".join(rng.sample(_FILLER, length))
    first = rng.choice(
        [
            f"{system} targets {n['work']}.",
            f"Figure 1 summarizes how {system} compares with {n['base']}.",
            f"On {n['gpus']} GPUs, {system} improves {n['m1']} by {n['x']}×.",
            f"We now describe how {system} handles {n['m2']}.",
            f"Relative to {n['base']}, {system} reduces {n['m2']} by {n['pct']}%.",
        ]
    )
    return " ".join([first, *rng.sample(_FILLER, length)])


SECTION_TITLES = ["Introduction", "Background and Motivation", "Design", "Implementation",
                  "Evaluation", "Related Work", "Conclusion"]  # fmt: skip


#: Paragraphs of ~110 words that fill one two-column 10 pt Letter page, with headings.
PARAGRAPHS_PER_PAGE = 8


def make_paper(
    rng: random.Random,
    *,
    ml_phrase: str,
    sys_phrase: str,
    used_systems: set[str],
    pages: float = 4,
) -> PaperText:
    """A title, an abstract and a body long enough for about ``pages`` two-column pages
    (references excluded)."""
    system = rng.choice([s for s in SYSTEM_NAMES if s not in used_systems] or SYSTEM_NAMES)
    used_systems.add(system)
    n = _numbers(rng)
    paper = PaperText(
        title=make_title(rng, system, ml_phrase, sys_phrase),
        abstract=make_abstract(rng, system, ml_phrase, sys_phrase),
        system=system,
    )
    # The title block, abstract and figure take about one column of the first page.
    budget = max(len(SECTION_TITLES), round((pages - 0.5) * PARAGRAPHS_PER_PAGE))
    weights = [3, 2, 4, 2, 4, 2, 1]  # introduction, background, design, ..., conclusion
    for title, weight in zip(SECTION_TITLES, weights, strict=True):
        count = max(1, round(budget * weight / sum(weights)))
        paras = [_paragraph(rng, system, n, rng.randint(4, 6), i == 0) for i in range(count)]
        paper.sections.append((title, paras))
    paper.figure_caption = (
        f"{n['m1'].capitalize()} of {system} and {n['base']} on {n['work']} "
        f"(higher is better for throughput, lower for latency)."
    )
    for i in range(rng.randint(8, 14)):
        authors = ", ".join(
            f"{rng.choice('ABCDEFGHJKLMNPRSTVWY')}. {rng.choice(REF_SURNAMES)}"
            for _ in range(rng.randint(1, 4))
        )
        venue = rng.choice(VENUES)
        year = rng.randint(2016, 2026)
        words = rng.sample(ML_TOPICS, 1)[0][1], rng.sample(SYSTEMS_TOPICS, 1)[0][1]
        name = SYSTEM_NAMES[(i * 7 + len(system)) % len(SYSTEM_NAMES)]
        paper.references.append(
            f"{authors}. {name}: {_title_case(words[0])} with {_title_case(words[1])}. "
            f"In Proceedings of {venue} {year}."
        )
    return paper
