// The C++ side of cdpsim's message catalogue: the few words and sentence templates that the
// terminal tables (`cdpsim run`'s summary, `compare`'s table and hypothesis verdicts, the tables
// of `facts` and `sensitivity`) print, in English and French, and the language's number format.
// Metric labels and verdict phrases are columns of the metric table (metrics.hpp: label_fr,
// more_fr, ...); the reports' and figures' texts are in scripts/cdpsim_py/i18n.py. Error messages
// stay in English (docs/output.md).
//
//   const Lang lang = default_lang();                  // LANG / LC_ALL starting with "fr"
//   std::printf("%s\n", text(lang, Text::baseline_word).data());
//   format_number(1234.5, 1, Lang::fr) == "1 234,5"   // narrow no-break space, decimal comma
#pragma once

#include <string>
#include <string_view>

#include "experiments/metrics/metrics.hpp"

namespace cdpsim {

enum class Lang : unsigned char { en, fr };

// French when LC_ALL, else LC_MESSAGES, else LANG (the first one set and not empty) starts with
// "fr"; English otherwise.
Lang default_lang();
// "fr" or "en"; throws std::invalid_argument otherwise.
Lang parse_lang(std::string_view code);
std::string_view lang_code(Lang l);

enum class Text : unsigned char {
  compare_header,    // %zu scenarios, %lld replicates, %llu seed, %lld weeks
  compare_baseline,  // %s baseline
  col_scenario,
  col_mean,
  col_ci,
  col_diff,
  col_ci_diff,
  baseline_word,    // "(baseline)" in the diff column
  not_available,    // "n/a"
  hypothesis_line,  // %s text, %s verdict, %s a, %s b, %s diff, %s CI, %s metric, %s p, %s alpha
  supported,
  not_supported,
  run_header,  // %s version, %s scenario, %s seed, %s done, %s weeks, %s interrupted
  run_interrupted,
  run_members,    // %s registered, %s active
  run_tiers,      // %s core, %s active, %s peripheral
  run_cdps,       // %s alive, %s created (phases follow)
  run_knowledge,  // %s repertoire units, %s boundary objects
  run_support,    // %s h given, %s h demanded
  run_time,       // %s s simulating, %s s writing
  run_output,     // %s path
  col_n,          // replicates with a value (compare, when some have none)
  col_n_diff,     // pairs with a value in the scenario and the baseline
  missing_note,   // %lld replicates
  hypothesis_n,   // %zu pairs used, %lld replicates
  // cdpsim facts
  facts_id,
  facts_measure,
  facts_criterion,
  facts_measured,
  facts_result,
  facts_pass,
  facts_fail,
  facts_summary_one,   // %s passed, %s facts
  facts_summary_many,  // %s passed, %s facts
  // cdpsim sensitivity
  sens_header,         // %s method, %s scenario, %s inputs
  sens_sobol,          // the method, in sens_header
  sens_morris,         //
  sens_levers_one,     // %s levers
  sens_levers_many,    //
  sens_inputs_one,     // %s intervention inputs
  sens_inputs_many,    //
  sens_input,          // %s key, %s low, %s high, %s whole
  sens_whole,          // ", whole numbers"
  sens_design_sobol,   // %lld samples, %zu inputs, %lld points
  sens_design_morris,  // %lld r, %zu inputs, %lld points, %d levels, %s delta, %zu candidates
  sens_runs,       // %lld points, %lld replicates, %zu variants, %lld runs, %lld weeks, %lld now
  sens_seeds,      // %llu master seed
  sens_intervals,  // %d resamples, %s of what
  sens_base_samples,
  sens_trajectories,
  sens_cohorts,      // %lld week
  sens_star,         // %s measure
  sens_metric,       // %s metric, %s unit, %s meaning
  sens_stratum,      // %s metric, %s stratum
  sens_cell,         // %s mean, %s variance, %s noise, %lld used, %lld of, %s what
  sens_too_few,      // %lld rows, %s what, %lld needed
  sens_constant,     //
  sens_rank,         // column heads
  sens_lever,        //
  sens_ci,           //
  sens_noise_floor,  // %s floor, %s measure
  sens_sum,          //
  sens_ranks,        // %s metric, %s measure
  sens_no_indices,   // %s strata
  sens_done,         // %lld runs, %s s, %s runs/s, %d processes, %s "es", %s h5, %s csv
  sens_saves,        // %d saves, %s "s", %s seconds, %s percent
  compare_output,    // %s csv, %s json, %s h5
  run_checkpoints,   // %s written, %s s copying, %s s writing
  count_             // number of keys
};

// The template of `key` in `lang` (printf-style, every argument a %s unless noted above).
std::string_view text(Lang lang, Text key);

// A metric's texts in `lang`.
std::string_view metric_label(const Metric& m, Lang lang);
std::string_view metric_meaning(const Metric& m, Lang lang);
std::string_view metric_more(const Metric& m, Lang lang);
std::string_view metric_fewer(const Metric& m, Lang lang);
// A unit of the metric table ("CdPs", "members", ...) as readers of `lang` write it.
std::string unit_word(std::string_view unit, Lang lang);
// A phase (kPhaseNames) in `lang`, French in the plural ("potentielles").
std::string_view phase_name(int phase, Lang lang);

// What lever `lever` (an index into kLeverInfo, models/levers.hpp) moves, in `lang`: English is
// kLeverInfo's `moves`, French its translation (for the explorer's sliders). "" out of range.
std::string_view lever_moves(int lever, Lang lang);

// `v` with `decimals` decimals and thousands grouped (English "1,234.5", French "1 234,5" with a
// narrow no-break space U+202F and a decimal comma); "n/a" / "s.o." for NaN; `sign`: "+" too.
std::string format_number(double v, int decimals, Lang lang, bool sign = false);
// A number printf wrote ("-1234.5", "0.00123", "+12.0") as `lang` writes it (French: the
// integer digits grouped by three with U+202F, a decimal comma); unchanged in English.
std::string localize_number(std::string_view ascii, Lang lang);
// Whether a count of `n` takes the singular in `lang`: n == 1 in English, |n| < 2 in French.
bool singular(double n, Lang lang);
// `s` padded with spaces to `width` columns (UTF-8 aware), left- or right-aligned.
std::string pad(std::string_view s, int width, bool left);

}  // namespace cdpsim
