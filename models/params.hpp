// Parameter structs, one per mechanism, with their TOML keys, units, ranges and sources. The
// defaults are the Passerelles reference calibration (docs/calibration.md); "assumption" marks a
// value chosen for plausibility where the literature gives no number. docs/model.md's parameter
// table is generated from these declarations (`cdpsim params`).
#pragma once

#include <cstdint>
#include <string>

#include "models/types.hpp"
#include "sim/scenario/param.hpp"

namespace cdpsim {

struct SimulationParams {
  std::string name = "unnamed";
  std::string question = "";
  Date start_date{2018, 9, 3};
  std::int64_t weeks = 226;
  std::int64_t seed = 1;

  template <class V>
  void visit(V& v) {
    v.field({"name", "", 0, 0, "short name of the scenario"}, name);
    v.field({"question", "", 0, 0, "the question this scenario answers, in words"}, question);
    v.field({"start_date", "date", 0, 0, "calendar date of week 0 (a Monday)",
             "Passerelles launch, September 2018"},
            start_date);
    v.field({"weeks", "weeks", 1, 5200, "number of weekly steps"}, weeks);
    v.field({"seed", "1", 0, 9.0e15, "master random seed (overridden by --seed)"}, seed);
  }
};

struct PopulationParams {
  std::int64_t organisations = 400;
  std::int64_t initial_members = 60;
  std::int64_t potential_members = 9000;
  std::int64_t initial_cdps = 14;
  std::int64_t max_cdps = 800;
  std::int64_t max_memberships = 4;
  double time_budget_min = 0.5;
  double time_budget_max = 4.0;
  double skill_animation_mean = 0.35;
  double skill_digital_mean = 0.5;
  double frontline_share = 0.35;
  double project_funded_share = 0.5;

  template <class V>
  void visit(V& v) {
    v.field({"organisations", "1", 1, 1e7, "number of organisations"}, organisations);
    v.field({"initial_members", "1", 0, 1e8, "members registered at week 0"}, initial_members);
    v.field({"potential_members", "1", 1, 1e8,
             "pool of people who may ever register (memory is reserved for them)"},
            potential_members);
    v.field({"initial_cdps", "1", 0, 1e7, "CdPs existing at week 0"}, initial_cdps);
    v.field({"max_cdps", "1", 1, 1e7, "most CdPs that can ever exist (alive or dissolved)"},
            max_cdps);
    v.field({"max_memberships", "1", 1, kMaxMemberships, "most CdPs one member belongs to at once"},
            max_memberships);
    v.field({"time_budget_min", "h/week", 0, 40, "lowest weekly time budget for CdP work",
             "MODEL-BRIEF.md: about 0.5-4 h"},
            time_budget_min);
    v.field({"time_budget_max", "h/week", 0, 40, "highest weekly time budget for CdP work",
             "MODEL-BRIEF.md: about 0.5-4 h"},
            time_budget_max);
    v.field({"skill_animation_mean", "1", 0, 1, "mean facilitation skill of members",
             "seed: uneven facilitation skills"},
            skill_animation_mean);
    v.field({"skill_digital_mean", "1", 0, 1, "mean digital literacy of members"},
            skill_digital_mean);
    v.field({"frontline_share", "1", 0, 1,
             "share of organisations in front-line sectors (health, community services)"},
            frontline_share);
    v.field({"project_funded_share", "1", 0, 1,
             "share of organisations funded by projects rather than core funding"},
            project_funded_share);
  }
};

// models/org_time.cpp
struct OrgTimeParams {
  double culture_weight = 0.7;
  double culture_spread = 0.6;
  double value_spread = 0.6;
  double workload_mean = 0.4;
  double workload_spread = 0.5;
  double project_squeeze = 0.3;
  double competition_exposure_mean = 0.5;
  double learning_feedback = 0.3;

  template <class V>
  void visit(V& v) {
    v.field({"culture_weight", "1", 0, 1, "weight of collaboration culture in the time allowed",
             "seed: lack of time reflects priorities and culture"},
            culture_weight);
    v.field({"culture_spread", "1", 0, 1, "spread of culture between organisations"},
            culture_spread);
    v.field({"value_spread", "1", 0, 1, "spread of how organisations value CdP work"},
            value_spread);
    v.field({"workload_mean", "1", 0, 0.95, "mean workload (share of time already taken)"},
            workload_mean);
    v.field({"workload_spread", "1", 0, 1, "spread of workload between organisations"},
            workload_spread);
    v.field({"project_squeeze", "1", 0, 1, "share of allowed time lost under project-based funding",
             "MODEL-BRIEF.md: project funding squeezes time"},
            project_squeeze);
    v.field(
        {"competition_exposure_mean", "1", 0, 1, "mean exposure of organisations to competition"},
        competition_exposure_mean);
    v.field({"learning_feedback", "1", 0, 1,
             "how much territory learning capacity raises organisational culture",
             "seed: healthy CdPs make the ecosystem more agile (feedback loop)"},
            learning_feedback);
  }
};

// models/participation.hpp
struct ParticipationParams {
  double hours_per_activity = 0.5;
  double travel_hours = 0.5;
  double value_weight = 1.2;
  double engagement_weight = 1.5;
  double social_weight = 0.8;
  double animation_weight = 0.8;
  double online_weight = 0.5;
  double cost_weight = 0.6;
  double tension_weight = 0.6;
  double size_penalty_weight = 0.3;
  double optimal_size = 30;
  double threshold_mean = 1.401;
  double threshold_sd = 0.5;
  double noise_scale = 0.3;
  double rate_peripheral = 0.0063;
  double rate_active = 0.425;
  double rate_core = 1.6;
  double propensity_sigma = 2.136;

  template <class V>
  void visit(V& v) {
    v.field({"hours_per_activity", "h", 0.01, 20, "time one week's participation takes"},
            hours_per_activity);
    v.field({"travel_hours", "h", 0, 20, "extra time of an in-person activity (travel)",
             "MODEL-BRIEF.md: travel cost vanishes online"},
            travel_hours);
    v.field({"value_weight", "1", 0, 10, "benefit weight of perceived value x theme clarity",
             "Ren & Kraut benefit-cost model"},
            value_weight);
    v.field({"engagement_weight", "1", 0, 10, "benefit weight of accumulated engagement"},
            engagement_weight);
    v.field({"social_weight", "1", 0, 10,
             "benefit weight of the CdP's active share last week (Granovetter thresholds)"},
            social_weight);
    v.field({"animation_weight", "1", 0, 10, "benefit weight of animation quality",
             "Tremblay 2005; thesis 4.9"},
            animation_weight);
    v.field({"online_weight", "1", 0, 10,
             "benefit weight of platform quality x critical mass for online activity"},
            online_weight);
    v.field({"cost_weight", "1", 0, 10, "cost weight of hours needed over hours left"},
            cost_weight);
    v.field({"tension_weight", "1", 0, 10,
             "cost weight of competition not offset by trust (tension, silo work)", "seed"},
            tension_weight);
    v.field({"size_penalty_weight", "1", 0, 10,
             "benefit lost per unit |ln(size / optimal_size)| at composition_fit 0.5 (twice at 0)",
             "Butler 2001: size helps and hurts"},
            size_penalty_weight);
    v.field({"optimal_size", "members", 2, 1e6, "size at which a CdP's composition fits best"},
            optimal_size);
    v.field({"threshold_mean", "1", -10, 10, "mean participation threshold",
             "Granovetter heterogeneous thresholds"},
            threshold_mean);
    v.field({"threshold_sd", "1", 0, 10, "standard deviation of thresholds across members"},
            threshold_sd);
    v.field({"noise_scale", "1", 0.001, 10, "scale of the logistic decision noise"}, noise_scale);
    v.field({"rate_peripheral", "posts/week", 0, 50,
             "mean contributions of a participating peripheral member",
             "van Mierlo 2014: most members lurk"},
            rate_peripheral);
    v.field({"rate_active", "posts/week", 0, 50, "mean contributions of an active member"},
            rate_active);
    v.field({"rate_core", "posts/week", 0, 50, "mean contributions of a core member"}, rate_core);
    v.field({"propensity_sigma", "1", 0, 5,
             "log-normal spread of members' propensity to post (participation inequality)",
             "van Mierlo 2014: top 1% write most posts"},
            propensity_sigma);
  }
};

// models/engagement.hpp
struct EngagementParams {
  double gain = 0.1017;
  double decay = 0.028;
  double initial = 0.15;
  double active_threshold = 0.45;
  double core_threshold = 0.72;

  template <class V>
  void visit(V& v) {
    v.field({"gain", "1/week", 0, 1, "engagement reinforcement per participation",
             "assumption; reinforcement and decay"},
            gain);
    v.field({"decay", "1/week", 0, 1, "weekly engagement decay"}, decay);
    v.field({"initial", "1", 0, 1, "engagement of a new membership"}, initial);
    v.field({"active_threshold", "1", 0, 1, "engagement from which a membership is 'active'",
             "tiers: Wenger, McDermott & Snyder 2002"},
            active_threshold);
    v.field({"core_threshold", "1", 0, 1, "engagement from which a membership is 'core'"},
            core_threshold);
  }
};

// models/churn_recruitment.cpp
struct ChurnParams {
  double drop_threshold = 0.06;
  double drop_rate = 0.08;
  std::int64_t newcomer_weeks = 8;
  double return_without_reply = 0.44;
  double return_with_reply = 0.56;
  double reply_base = 0.6;
  double join_more_rate = 0.01;
  double rejoin_rate = 0.02;
  std::int64_t idle_exit_weeks = 52;
  double exit_rate = 0.01;

  template <class V>
  void visit(V& v) {
    v.field({"drop_threshold", "1", 0, 1, "engagement under which a membership may end"},
            drop_threshold);
    v.field({"drop_rate", "1/week", 0, 1, "weekly chance a membership under threshold ends"},
            drop_rate);
    v.field({"newcomer_weeks", "weeks", 1, 520, "weeks a new membership counts as newcomer"},
            newcomer_weeks);
    v.field(
        {"return_without_reply", "1", 0, 1,
         "chance a newcomer returns after a first post without reply", "Joyce & Kraut 2006: 44%"},
        return_without_reply);
    v.field({"return_with_reply", "1", 0, 1, "chance a newcomer returns after a reply",
             "Joyce & Kraut 2006: 56%"},
            return_with_reply);
    v.field({"reply_base", "1", 0, 1,
             "chance of a reply to a newcomer's first post in a lively, animated CdP"},
            reply_base);
    v.field({"join_more_rate", "1/week", 0, 1,
             "weekly chance an engaged member joins one more CdP (bridging tie)"},
            join_more_rate);
    v.field(
        {"rejoin_rate", "1/week", 0, 1, "weekly chance a registered member without CdP joins one"},
        rejoin_rate);
    v.field({"idle_exit_weeks", "weeks", 1, 5200,
             "weeks without any membership before a member may leave the ecosystem"},
            idle_exit_weeks);
    v.field({"exit_rate", "1/week", 0, 1, "weekly chance an idle member leaves"}, exit_rate);
  }
};

struct RecruitmentParams {
  double launch_rate = 150;
  double launch_decay_weeks = 6;
  double base_rate = 10;
  double mass_boost = 1.0;
  double openness_boost = 0.5;
  double attractiveness_exponent = 1.0;
  double same_territory_bias = 3.0;
  double cdp_base_rate = 0.3;
  double cdp_rate_per_1000 = 0.5;

  template <class V>
  void visit(V& v) {
    v.field({"launch_rate", "members/week", 0, 1e7, "registrations in the launch week",
             "Passerelles: ~1,000 members weeks after launch; calibrated"},
            launch_rate);
    v.field({"launch_decay_weeks", "weeks", 0.1, 520, "decay time of the launch campaign"},
            launch_decay_weeks);
    v.field({"base_rate", "members/week", 0, 1e7, "registrations per week after the launch",
             "Passerelles: >5,000 by August 2021; calibrated"},
            base_rate);
    v.field({"mass_boost", "1", 0, 10, "extra registrations at full platform critical mass",
             "Oliver, Marwell & Teixeira 1985"},
            mass_boost);
    v.field({"openness_boost", "1", 0, 10, "extra registrations from platform openness (reach)"},
            openness_boost);
    v.field({"attractiveness_exponent", "1", 0, 3,
             "preferential attachment of newcomers to active CdPs"},
            attractiveness_exponent);
    v.field({"same_territory_bias", "1", 1, 100,
             "how much more newcomers pick CdPs of their own territory"},
            same_territory_bias);
    v.field({"cdp_base_rate", "CdPs/week", 0, 1000, "spontaneous CdP creations per week",
             "seed: most CdPs start spontaneously"},
            cdp_base_rate);
    v.field({"cdp_rate_per_1000", "CdPs/week", 0, 1000,
             "extra CdP creations per week per 1,000 active members"},
            cdp_rate_per_1000);
  }
};

// models/animation.cpp
struct AnimationParams {
  double hours_min = 2.0;
  double hours_max = 8.0;
  double need_base = 2.0;
  double need_per_active = 0.3133;
  double animator_budget = 11.44;
  double burnout_rate = 0.08;
  double recovery_rate = 0.03;
  double practice_gain = 0.002;
  double core_help_hours = 0.5;

  template <class V>
  void visit(V& v) {
    v.field({"hours_min", "h/week", 0, 80, "animator hours at animation lever 0",
             "MODEL-BRIEF.md: about 2-8 h/week"},
            hours_min);
    v.field({"hours_max", "h/week", 0, 80, "animator hours at animation lever 1",
             "MODEL-BRIEF.md: about 2-8 h/week"},
            hours_max);
    v.field({"need_base", "h/week", 0, 80, "animation a CdP needs whatever its size"}, need_base);
    v.field({"need_per_active", "h/week", 0, 10, "extra animation needed per active member"},
            need_per_active);
    v.field({"animator_budget", "h/week", 0, 80,
             "hours an animator could give if the organisation allowed all"},
            animator_budget);
    v.field({"burnout_rate", "1/week", 0, 1,
             "burnout gained per week at 100% overtime relative to the time allowed",
             "MODEL-BRIEF.md: burns out when hours exceed the time allowed"},
            burnout_rate);
    v.field({"recovery_rate", "1/week", 0, 1, "burnout recovered per week"}, recovery_rate);
    v.field({"practice_gain", "1/week", 0, 1, "skill an animator gains per week of practice"},
            practice_gain);
    v.field({"core_help_hours", "h/week", 0, 40,
             "animation hours each core member adds at core_leadership 0.5 (twice at 1)"},
            core_help_hours);
  }
};

// models/support.cpp
struct SupportParams {
  std::string mode = "capacity_building";
  std::string policy = "neediest";
  double capacity_hours = 10;
  double needs_analysis_hours = 1.812;
  double expert_efficiency = 0.5546;
  double immediate_share = 0.3685;
  double skill_gain = 0.0058;
  double autonomy_gain = 0.0059;
  bool peer_network = false;
  double peer_rate = 0.02;
  std::int64_t episode_weeks = 32;

  template <class V>
  void visit(V& v) {
    v.field({"mode",
             "",
             0,
             0,
             "none; expert (an expert substitutes: temporary hours); capacity_building (skills "
             "that stay)",
             "seed: build capacity rather than substitute",
             {"none", "expert", "capacity_building"}},
            mode);
    v.field({"policy",
             "",
             0,
             0,
             "which CdPs get the scarce support hours first",
             "assumption",
             {"neediest", "first_come", "proportional"}},
            policy);
    v.field(
        {"capacity_hours", "h/week", 0, 1e6, "support team hours per week at support_capacity 0.5",
         "seed: demand far exceeds capacity (supply/demand 0.1-0.3)"},
        capacity_hours);
    v.field({"needs_analysis_hours", "h/week", 0, 100,
             "support a CdP in potential/coalescing phase asks for (needs and context analysis)",
             "seed: useful support comes early"},
            needs_analysis_hours);
    v.field({"expert_efficiency", "1", 0, 5, "animation hours one expert support hour replaces"},
            expert_efficiency);
    v.field({"immediate_share", "1", 0, 1,
             "share of a capacity-building hour that also animates this week"},
            immediate_share);
    v.field({"skill_gain", "1/h", 0, 1, "animator skill gained per capacity-building hour"},
            skill_gain);
    v.field({"autonomy_gain", "1/h", 0, 1, "CdP autonomy gained per capacity-building hour"},
            autonomy_gain);
    v.field({"peer_network", "", 0, 0, "trained animators form a peer CdP of animators",
             "seed: a peer CdP of animators"},
            peer_network);
    v.field(
        {"episode_weeks", "weeks", 1, 5200,
         "weeks of support a CdP can receive in all (support mandates end; then it is on its own)",
         "seed: support early, then mobilisation and evaluation; assumption for the length"},
        episode_weeks);
    v.field({"peer_rate", "1/week", 0, 1,
             "weekly share of the skill gap to trained peers closed through the peer network"},
            peer_rate);
  }
};

// models/knowledge_sharing.hpp
struct SharingParams {
  double funding_competition_weight = 1.0;
  double trust_gain = 0.02;
  double trust_decay = 0.002;
  double openness_trust_cost = 0.5;
  double initial_trust_spread = 0.6;

  template <class V>
  void visit(V& v) {
    v.field(
        {"funding_competition_weight", "1", 0, 10,
         "extra competition for project-funded organisations (scarce shared funding)", "Tsai 2002"},
        funding_competition_weight);
    v.field({"trust_gain", "1/week", 0, 1, "trust built per week of participation"}, trust_gain);
    v.field({"trust_decay", "1/week", 0, 1, "weekly trust erosion without interaction"},
            trust_decay);
    v.field({"openness_trust_cost", "1", 0, 1,
             "how much an open platform slows trust building (reach versus trust)",
             "MODEL-BRIEF.md: reach/trust trade-off"},
            openness_trust_cost);
    v.field({"initial_trust_spread", "1", 0, 1, "spread of members' initial trust"},
            initial_trust_spread);
  }
};

// models/platform.cpp
struct PlatformParams {
  double mass_half = 400;
  double mass_exponent = 2.0;
  double online_share_mean = 0.5;

  template <class V>
  void visit(V& v) {
    v.field({"mass_half", "users", 1, 1e9,
             "active users at which a platform reaches half its critical-mass effect",
             "Oliver, Marwell & Teixeira 1985 (S-shaped production function)"},
            mass_half);
    v.field({"mass_exponent", "1", 1, 10, "steepness of the critical-mass S-curve"}, mass_exponent);
    v.field({"online_share_mean", "1", 0, 1, "mean share of a CdP's activity held online"},
            online_share_mean);
  }
};

// models/repertoire.cpp
struct RepertoireParams {
  double learning_rate = 0.05;
  double forgetting = 0.005;
  double cross_post_rate = 0.04;
  double boundary_rate = 0.02;
  double boundary_half = 20;
  double boundary_knowledge = 1.0;

  template <class V>
  void visit(V& v) {
    v.field(
        {"learning_rate", "units/post", 0, 10, "repertoire units added per shared contribution"},
        learning_rate);
    v.field({"forgetting", "1/week", 0, 1, "weekly loss of uncodified repertoire"}, forgetting);
    v.field({"cross_post_rate", "1", 0, 1,
             "share of contributions cross-posted to another CdP at cdp_intersections 0.5",
             "Passerelles: cross-CdP posting served monitoring and information"},
            cross_post_rate);
    v.field({"boundary_rate", "1/week", 0, 10,
             "boundary objects per unit link weight per week between knowledgeable CdPs",
             "Wenger: boundary objects; Cowan & Jonard 2004"},
            boundary_rate);
    v.field({"boundary_half", "units", 0.01, 1e6,
             "repertoire at which a link produces half its boundary objects"},
            boundary_half);
    v.field({"boundary_knowledge", "units", 0, 1e3,
             "repertoire each linked CdP gains from one boundary object"},
            boundary_knowledge);
  }
};

// models/phases.cpp
struct PhaseParams {
  double growth = 0.03;
  double coalescing_at = 1.0;
  double maturing_at = 2.0;
  double stewardship_at = 3.5;
  std::int64_t min_active = 3;
  double health_smoothing = 0.1;
  double decline_health = 0.3;
  std::int64_t decline_weeks = 16;
  double renew_rate = 0.05;
  double relevance_drift = 0.002;
  double dissolve_rate = 0.05;
  std::int64_t dead_weeks = 12;

  template <class V>
  void visit(V& v) {
    v.field({"growth", "1/week", 0, 10, "maturity gained per week at full health",
             "MODEL-BRIEF.md: lifecycles are slow"},
            growth);
    v.field({"coalescing_at", "1", 0, 100, "maturity at which a CdP starts coalescing"},
            coalescing_at);
    v.field({"maturing_at", "1", 0, 100, "maturity at which a CdP is maturing"}, maturing_at);
    v.field({"stewardship_at", "1", 0, 100, "maturity at which a CdP reaches stewardship"},
            stewardship_at);
    v.field({"min_active", "members", 1, 1000, "active members a CdP needs to mature at all"},
            min_active);
    v.field({"health_smoothing", "1/week", 0.001, 1,
             "weight of this week in the smoothed health (1: no smoothing)"},
            health_smoothing);
    v.field({"decline_health", "1", 0, 1, "smoothed health under which a CdP is declining"},
            decline_health);
    v.field({"decline_weeks", "weeks", 1, 520,
             "consecutive declining weeks before the transformation phase"},
            decline_weeks);
    v.field({"renew_rate", "1/week", 0, 1,
             "weekly chance a transforming CdP renews itself at evolving_design 0.5",
             "Wenger: design for evolution"},
            renew_rate);
    v.field({"relevance_drift", "1/week", 0, 1,
             "weekly relative loss of theme relevance as practice moves on, at evolving_design "
             "0.5 (none at 1)",
             "Wenger, McDermott & Snyder 2002: design for evolution"},
            relevance_drift);
    v.field({"dissolve_rate", "1/week", 0, 1, "weekly chance a transforming CdP dissolves"},
            dissolve_rate);
    v.field(
        {"dead_weeks", "weeks", 1, 520,
         "weeks without any active member after which a CdP still in potential phase dissolves"},
        dead_weeks);
  }
};

// models/shocks.cpp: effects of a shock of kind "pandemic" at intensity 1.
struct PandemicParams {
  double inperson_factor = 0.05;
  double online_boost = 0.4;
  double bridging_cut = 0.6;
  double mutual_aid_cdps_per_week = 1.0;
  std::int64_t burst_weeks = 12;
  double frontline_workload = 0.3;

  template <class V>
  void visit(V& v) {
    v.field({"inperson_factor", "1", 0, 1,
             "multiplier of the in-person share of activity during the pandemic",
             "MODEL-BRIEF.md: in-person activity falls to nearly zero"},
            inperson_factor);
    v.field({"online_boost", "1", 0, 10, "relative rise of the online benefit (new digital habits)",
             "seed: COVID-19 changed digital habits"},
            online_boost);
    v.field({"bridging_cut", "1", 0, 1, "relative fall in new bridging ties (joining further CdPs)",
             "MODEL-BRIEF.md: fewer new and bridging ties"},
            bridging_cut);
    v.field({"mutual_aid_cdps_per_week", "CdPs/week", 0, 1000,
             "extra CdPs created per week in the burst after onset",
             "MODEL-BRIEF.md: a burst of new mutual-aid CdPs"},
            mutual_aid_cdps_per_week);
    v.field({"burst_weeks", "weeks", 0, 520, "length of the mutual-aid burst"}, burst_weeks);
    v.field({"frontline_workload", "1", 0, 1, "extra workload of front-line organisations",
             "MODEL-BRIEF.md: workload spikes in front-line organisations"},
            frontline_workload);
  }
};

// models/territory.cpp
struct TerritoryParams {
  double default_competition = 0.4;
  double learning_gain = 0.05;
  double learning_decay = 0.01;
  double spillover = 0.05;

  template <class V>
  void visit(V& v) {
    v.field({"default_competition", "1", 0, 1,
             "competition between organisations when no [[territories]] are given",
             "seed: climate of competition between organisations"},
            default_competition);
    v.field({"learning_gain", "1", 0, 100,
             "learning capacity gained per cross-organisation contribution per member",
             "seed: territoires apprenants"},
            learning_gain);
    v.field({"learning_decay", "1/week", 0, 1, "weekly erosion of learning capacity"},
            learning_decay);
    v.field({"spillover", "1/week", 0, 1,
             "share of the learning gap to neighbouring territories closed per week"},
            spillover);
  }
};

struct OutputParams {
  bool per_cdp_series = true;
  bool per_member = true;
  bool events = true;

  template <class V>
  void visit(V& v) {
    v.field({"per_cdp_series", "", 0, 0,
             "write cdp_* series over (week, cdp); switch off for very large runs"},
            per_cdp_series);
    v.field({"per_member", "", 0, 0, "write member_* variables over member"}, per_member);
    v.field({"events", "", 0, 0, "write the events table"}, events);
  }
};

// [[territories]]
struct TerritorySpec {
  std::string name = "territory";
  double share = 1.0;
  double competition = 0.4;
  double learning = 0.3;
  std::string neighbours = "";

  template <class V>
  void visit(V& v) {
    v.field({"name", "", 0, 0, "territory name (unique)"}, name);
    v.field({"share", "1", 0, 1e6, "relative number of organisations in this territory"}, share);
    v.field({"competition", "1", 0, 1, "competition between organisations here"}, competition);
    v.field({"learning", "1", 0, 1, "initial learning capacity"}, learning);
    v.field({"neighbours", "", 0, 0, "comma-separated names of neighbouring territories"},
            neighbours);
  }
};

// [[platforms]]
struct PlatformSpec {
  std::string name = "platform";
  double share = 1.0;
  double usability = 0.6;
  double openness = 0.5;
  double interoperability = 0.0;

  template <class V>
  void visit(V& v) {
    v.field({"name", "", 0, 0, "platform name (unique)"}, name);
    v.field({"share", "1", 0, 1e6, "relative share of CdPs hosted here"}, share);
    v.field({"usability", "1", 0, 1, "usability and features", "seed: usability shapes climate"},
            usability);
    v.field({"openness", "1", 0, 1, "openness: reach (1) versus a safe, targeted space (0)",
             "seed: reach/trust trade-off"},
            openness);
    v.field({"interoperability", "1", 0, 1,
             "share of other interoperable platforms' users counted towards critical mass",
             "seed: interoperability helps reach critical mass"},
            interoperability);
  }
};

// [[shocks]]
struct ShockSpec {
  std::string kind = "pandemic";
  std::string label = "";
  Date start{2020, 3, 16};
  std::int64_t duration_weeks = 78;
  double intensity = 1.0;

  template <class V>
  void visit(V& v) {
    v.field({"kind",
             "",
             0,
             0,
             "what happens",
             "MODEL-BRIEF.md: shocks",
             {"pandemic", "funding_cut", "platform_migration"}},
            kind);
    v.field({"label", "", 0, 0, "free text shown in the events table"}, label);
    v.field({"start", "date", 0, 0, "first day of the shock (its week is the first affected)"},
            start);
    v.field({"duration_weeks", "weeks", 1, 5200, "how long it lasts",
             "COVID-19: about 18 months from mid-March 2020"},
            duration_weeks);
    v.field({"intensity", "1", 0, 1, "strength (1 = full effect)"}, intensity);
  }
};

// [[interventions]]: a change of one parameter during a run (models/interventions.hpp; rules in
// docs/model.md, "Interventions and programmes").
struct InterventionSpec {
  std::string name = "";
  std::string key = "";
  Scalar set;
  Scalar scale;
  Scalar start;
  Scalar end;
  std::int64_t ramp_weeks = 0;
  std::string when = "";
  std::string until = "";
  std::int64_t check_every = 1;
  std::int64_t min_duration = 0;
  std::int64_t blackout = 0;
  Scalar budget_hours;
  Scalar budget;
  double cost_per_hour = 0.0;
  double cost_per_week = 0.0;

  template <class V>
  void visit(V& v) {
    v.field({"name", "", 0, 0, "label shown in the events table, figures and reports"}, name);
    v.field({"key", "", 0, 0,
             "what it changes: levers.NAME or a parameter of the mid-run list (cdpsim params)"},
            key);
    v.field({"set", "", -1e12, 1e12,
             "absolute value from start (a number, true/false, or a name for support.mode)"},
            set);
    v.field({"scale", "", 0, 1e6, "or: multiplier of the scenario's value from start"}, scale);
    v.field({"start", "", 0, 5200, "first week in force: a date, or a week number (default: 0)"},
            start);
    v.field({"end", "", 0, 5200,
             "first week no longer in force (a date or a week number; the previous value comes "
             "back); leave out for the rest of the run"},
            end);
    v.field({"ramp_weeks", "weeks", 0, 5200,
             "weeks of linear change from the old to the new value (0: at once)"},
            ramp_weeks);
    v.field({"when", "", 0, 0,
             "trigger: \"VARIABLE < X\" (or >, <=, >=) on last week's series; empty: scheduled"},
            when);
    v.field({"until", "", 0, 0,
             "off-threshold of a trigger (hysteresis); empty: off when `when` no longer holds"},
            until);
    v.field({"check_every", "weeks", 1, 520, "weeks between two checks of a trigger"}, check_every);
    v.field({"min_duration", "weeks", 0, 5200, "weeks a triggered intervention stays on at least"},
            min_duration);
    v.field({"blackout", "weeks", 0, 5200, "weeks after it switches off before it can switch on"},
            blackout);
    v.field({"budget_hours", "h", 0, 1e12,
             "support hours it may pay for in all (support keys only); leave out: no limit"},
            budget_hours);
    v.field({"budget", "money", 0, 1e15,
             "money it may spend in all (hours x cost_per_hour + weeks x cost_per_week)"},
            budget);
    v.field({"cost_per_hour", "money/h", 0, 1e6,
             "cost of one support hour it pays for (support keys only)"},
            cost_per_hour);
    v.field({"cost_per_week", "money/week", 0, 1e9,
             "fixed cost of each week in force (programme staff, licences)"},
            cost_per_week);
  }
};

}  // namespace cdpsim
