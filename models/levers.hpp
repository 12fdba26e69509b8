// The 17 levers of action ("leviers d'action") of MODEL-BRIEF.md, each a number in [0, 1].
// 0.5 is the reference: every mapping below leaves the base parameters unchanged at 0.5, so a
// lever at 0.5 means "as calibrated", lower is worse, higher is better. The mapping of each lever
// onto mechanism parameters is in docs/model.md ("Levers") and implemented in levers.cpp.
#pragma once

#include <array>
#include <string_view>

#include "sim/scenario/param.hpp"

namespace cdpsim {

struct LeverInfo {
  std::string_view key;
  std::string_view group;
  std::string_view english;
  std::string_view french;
  std::string_view moves;  // which parameters it moves, in words (documented in docs/model.md)
};

inline constexpr int kLevers = 17;

inline constexpr std::array<LeverInfo, kLevers> kLeverInfo = {{
    {"organisational_culture", "environment", "supportive organisational context and culture",
     "contexte et culture organisationnels favorables",
     "mean collaboration culture of organisations (the time they allow for CdP work)"},
    {"time_allowance", "environment", "sufficient time for activities",
     "temps suffisant pour les activités",
     "share of members' time budget their organisation allows (0 gives no time at all)"},
    {"support_capacity", "environment", "resources and support (accompagnement)",
     "ressources et accompagnement", "support team hours per week (0 gives no support)"},
    {"recognition", "environment", "recognition and tangible results",
     "reconnaissance et résultats tangibles",
     "how organisations value CdP work; chance that a newcomer's post gets a reply"},
    {"ecosystem_trust", "environment", "low-competition ecosystem, trust between organisations",
     "écosystème peu compétitif, confiance entre organisations",
     "trust between organisations that offsets competition in knowledge sharing"},
    {"theme_clarity", "design", "relevant, clear theme and joint enterprise",
     "thème pertinent et clair, entreprise commune",
     "mean theme clarity of CdPs (perceived value, maturation)"},
    {"evolving_design", "design", "evolving design (design for evolution)", "conception évolutive",
     "how fast theme relevance erodes; chance a declining CdP renews instead of dissolving"},
    {"autonomy", "design", "real autonomy of the group over its mandate",
     "autonomie réelle du groupe sur son mandat",
     "mean autonomy of CdPs (maturation, survival without support)"},
    {"composition_fit", "design", "size and composition suited to the membership",
     "taille et composition adaptées", "penalty on benefit when a CdP is far from its best size"},
    {"animation", "animation", "sustained animation", "animation soutenue",
     "animator hours per week (2 to 8 h)"},
    {"core_leadership", "animation", "an active core / shared leadership",
     "noyau actif et leadership partagé",
     "chance a core member takes over from a burnt-out animator; core share of animation load"},
    {"activity_rhythm", "animation", "rhythm and mix of activities",
     "rythme et variété des activités", "engagement gained per participation"},
    {"belonging", "members", "engagement and sense of belonging",
     "engagement et sentiment d'appartenance", "engagement decay rate"},
    {"trust_climate", "members", "trust, shared language, openness to disagreement",
     "confiance, langage commun, ouverture au désaccord",
     "members' initial trust and how fast interaction builds it"},
    {"perceived_value", "members", "perceived value for one's own practice",
     "valeur perçue pour sa pratique", "base benefit of participating"},
    {"digital_tools", "tools", "suitable, usable digital tools",
     "outils numériques adaptés et conviviaux", "platform quality for online participation"},
    {"cdp_intersections", "tools", "cooperation and intersections between CdPs",
     "coopération et intersections entre CdP",
     "cross-posting rate and boundary-object creation between linked CdPs"},
}};

struct Levers {
  double organisational_culture = 0.5;
  double time_allowance = 0.5;
  double support_capacity = 0.5;
  double recognition = 0.5;
  double ecosystem_trust = 0.5;
  double theme_clarity = 0.5;
  double evolving_design = 0.5;
  double autonomy = 0.5;
  double composition_fit = 0.5;
  double animation = 0.5;
  double core_leadership = 0.5;
  double activity_rhythm = 0.5;
  double belonging = 0.5;
  double trust_climate = 0.5;
  double perceived_value = 0.5;
  double digital_tools = 0.5;
  double cdp_intersections = 0.5;

  // Lever values by index in kLeverInfo order (for sensitivity designs and tests).
  [[nodiscard]] std::array<double*, kLevers> by_index();

  template <class V>
  void visit(V& v) {
    auto p = by_index();
    for (int i = 0; i < kLevers; ++i) {
      const auto& info = kLeverInfo[i];
      v.field(Field{info.key, "1", 0.0, 1.0, info.moves,
                    "MODEL-BRIEF.md lever table; 0.5 = calibrated reference"},
              *p[i]);
    }
  }
};

}  // namespace cdpsim
