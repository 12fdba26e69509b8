#include "models/series.hpp"

#include <algorithm>

namespace cdpsim {

namespace {

// A one-axis series read from a WeekRecord member.
template <auto Member>
void int_field(const WeekRecord& r, std::int64_t* out) {
  *out = r.*Member;
}
template <auto Member>
void real_field(const WeekRecord& r, double* out) {
  *out = r.*Member;
}

SeriesDef integer(std::string_view name, std::string_view units, std::string_view long_name,
                  void (*get)(const WeekRecord&, std::int64_t*),
                  SeriesAxis axis = SeriesAxis::none) {
  return {name, units, long_name, axis, true, get, nullptr};
}

SeriesDef real(std::string_view name, std::string_view units, std::string_view long_name,
               void (*get)(const WeekRecord&, double*), SeriesAxis axis = SeriesAxis::none) {
  return {name, units, long_name, axis, false, nullptr, get};
}

}  // namespace

const std::vector<SeriesDef>& weekly_series() {
  // clang-format off
  static const std::vector<SeriesDef> series = {
      integer("members_total", "members", "registered members", int_field<&WeekRecord::members_total>),
      integer("members_active", "members", "members who took part in at least one CdP this week", int_field<&WeekRecord::members_active>),
      integer("cdps_alive", "CdPs", "CdPs not dissolved", int_field<&WeekRecord::cdps_alive>),
      real("engagement_mean", "1", "mean engagement over memberships", real_field<&WeekRecord::engagement_mean>),
      integer("interactions_inperson", "participations/week", "participations in person", int_field<&WeekRecord::interactions_inperson>),
      integer("interactions_online", "participations/week", "participations online", int_field<&WeekRecord::interactions_online>),
      integer("contributions", "posts/week", "contributions (posts, documents, replies)", int_field<&WeekRecord::contributions>),
      real("knowledge_stock", "repertoire units", "sum of repertoires of alive CdPs", real_field<&WeekRecord::knowledge_stock>),
      integer("boundary_objects", "objects", "boundary objects created since week 0 (cumulative)", int_field<&WeekRecord::boundary_objects>),
      real("support_hours_demanded", "h/week", "support hours CdPs asked for", real_field<&WeekRecord::support_hours_demanded>),
      real("support_hours_given", "h/week", "support hours the support team gave", real_field<&WeekRecord::support_hours_given>),
      integer("platform_active_users", "members", "members active online, all platforms", int_field<&WeekRecord::platform_active_users>),
      real("sharing_rate", "1", "share of contributions shared across organisations (competition-damped)", real_field<&WeekRecord::sharing_rate>),
      integer("bridging_ties", "CdP pairs", "distinct CdP pairs sharing an active member this week", int_field<&WeekRecord::bridging_pairs>),
      integer("linked_pairs", "CdP pairs", "distinct CdP pairs linked by shared members or cross-posts", int_field<&WeekRecord::linked_pairs>),
      integer("cross_posts", "posts/week", "contributions cross-posted to another CdP", int_field<&WeekRecord::cross_posts>),
      integer("newcomer_first_posts", "members/week", "newcomers posting for the first time", int_field<&WeekRecord::newcomer_first_posts>),
      integer("newcomer_replies", "members/week", "first posts that got a reply", int_field<&WeekRecord::newcomer_replies>),
      integer("newcomer_returns", "members/week", "newcomers who returned after their first post", int_field<&WeekRecord::newcomer_returns>),
      integer("newcomer_returns_replied", "members/week", "newcomers who returned after a reply", int_field<&WeekRecord::newcomer_returns_replied>),
      integer("bridging_joins", "memberships/week", "CdPs joined by members already in another CdP (new bridging ties)", int_field<&WeekRecord::bridging_joins>),
      integer("rejoins", "memberships/week", "CdPs joined by registered members who had none", int_field<&WeekRecord::rejoins>),
      integer("memberships_ended", "memberships/week", "memberships that ended (engagement faded, or a newcomer did not return)", int_field<&WeekRecord::memberships_ended>),
      integer("nonparticipation_no_time", "membership-weeks", "memberships not taken up this week for lack of time", int_field<&WeekRecord::nonparticipation_no_time>),
      integer("nonparticipation_declined", "membership-weeks", "memberships not taken up although time was left (benefit under threshold)", int_field<&WeekRecord::nonparticipation_declined>),
      integer("registrations", "members/week", "new registrations", int_field<&WeekRecord::registrations>),
      integer("cdps_created", "CdPs/week", "CdPs created", int_field<&WeekRecord::cdps_created>),
      integer("cdps_dissolved", "CdPs/week", "CdPs dissolved", int_field<&WeekRecord::cdps_dissolved>),
      integer("animators", "members", "alive CdPs with an animator", int_field<&WeekRecord::animators>),
      real("pandemic", "1", "pandemic intensity in force", real_field<&WeekRecord::pandemic>),
      integer("cdps_active", "CdPs", "alive CdPs with at least phases.min_active active members", int_field<&WeekRecord::cdps_active>),
      real("spending_hours", "h", "support hours paid by programmes since week 0 (cumulative)", real_field<&WeekRecord::spent_hours_total>),
      real("spending_money", "money", "money spent by interventions since week 0 (cumulative)", real_field<&WeekRecord::spent_money_total>),
      integer("cdps_by_phase", "CdPs", "CdPs in each phase (dissolved: cumulative)",
              [](const WeekRecord& r, std::int64_t* o) { std::copy(r.cdps_by_phase.begin(), r.cdps_by_phase.end(), o); },
              SeriesAxis::phase),
      integer("members_by_tier", "members", "registered members by their highest tier",
              [](const WeekRecord& r, std::int64_t* o) { std::copy(r.members_by_tier.begin(), r.members_by_tier.end(), o); },
              SeriesAxis::tier),
      integer("memberships_by_tier", "memberships", "memberships by tier (Wenger's tiers within CdPs)",
              [](const WeekRecord& r, std::int64_t* o) { std::copy(r.memberships_by_tier.begin(), r.memberships_by_tier.end(), o); },
              SeriesAxis::tier),
      real("territory_learning", "1", "learning capacity of each territory",
           [](const WeekRecord& r, double* o) { std::copy(r.territory_learning.begin(), r.territory_learning.end(), o); },
           SeriesAxis::territory),
      integer("platform_users", "members", "members active online on each platform",
              [](const WeekRecord& r, std::int64_t* o) { std::copy(r.platform_users.begin(), r.platform_users.end(), o); },
              SeriesAxis::platform),
      real("lever_value", "1", "value of each lever in force (interventions applied)",
           [](const WeekRecord& r, double* o) { std::copy(r.levers.begin(), r.levers.end(), o); },
           SeriesAxis::lever),
  };
  // clang-format on
  return series;
}

std::size_t axis_width(SeriesAxis axis, const AxisSizes& sizes) {
  switch (axis) {
    case SeriesAxis::none:
      return 1;
    case SeriesAxis::phase:
      return kPhases;
    case SeriesAxis::tier:
      return kTiers;
    case SeriesAxis::territory:
      return sizes.territories;
    case SeriesAxis::platform:
      return sizes.platforms;
    case SeriesAxis::lever:
      return kLevers;
  }
  return 1;
}

std::string_view axis_dimension(SeriesAxis axis) {
  switch (axis) {
    case SeriesAxis::none:
      return "";
    case SeriesAxis::phase:
      return "phase";
    case SeriesAxis::tier:
      return "tier";
    case SeriesAxis::territory:
      return "territory";
    case SeriesAxis::platform:
      return "platform";
    case SeriesAxis::lever:
      return "lever";
  }
  return "";
}

void extract_series(const SeriesDef& def, std::span<const WeekRecord> weeks, std::size_t width,
                    std::int64_t* out) {
  for (std::size_t t = 0; t < weeks.size(); ++t) def.extract_int(weeks[t], out + t * width);
}

void extract_series(const SeriesDef& def, std::span<const WeekRecord> weeks, std::size_t width,
                    double* out) {
  for (std::size_t t = 0; t < weeks.size(); ++t) def.extract_real(weeks[t], out + t * width);
}

}  // namespace cdpsim
