# Regenerates comparisons-reference.json beside this script: what R's `survival` gives for the Cox models,
# the counting-process (tmerge) intervals, the Mantel-Byar score test and the Simon-Makuch curves that the
# tests in ../Comparisons*.cs compare against. The tests never run R; they read the JSON.
#
#   apt-get install -y r-cran-survival
#   cd tests/Timeline.Tests/Statistics/reference && Rscript make-comparisons-reference.R
#
# Every data set is SYNTHETIC except `aml` and `heart`, public data shipped with the survival package
# (aml: Miller, Survival Analysis, Wiley 1997; heart: Stanford heart transplant, Crowley & Hu, JASA 1977).
# The design matrix R builds (model.matrix, factor levels against the first) is written out, so the
# tests fit exactly the columns R fitted. Numbers as in make-reference.R (inputs 17 digits, results 15).

suppressPackageStartupMessages(library(survival))
source_json_writer <- function() {
  lines <- readLines("make-reference.R")
  start <- grep("^# ---- a minimal JSON writer", lines)
  end <- grep("^# ---- the data sets", lines) - 1
  eval(parse(text = lines[start:end]), envir = globalenv())
}
source_json_writer()   # num, str_, to_json, arr, input: the same writer as make-reference.R

# ---- Cox fits ----
cox_case <- function(name, source, formula, data, ties = "efron") {
  infinite <- character(0); other <- character(0)
  fit <- withCallingHandlers(coxph(formula, data = data, ties = ties, x = TRUE),
    warning = function(w) {
      m <- conditionMessage(w)
      if (grepl("coefficient may be infinite", m)) infinite <<- c(infinite, m) else other <<- c(other, m)
      invokeRestart("muffleWarning")
    })
  y <- fit$y
  counting <- ncol(y) == 3
  x <- fit$x
  s <- summary(fit)
  ci <- s$conf.int
  columns <- lapply(seq_len(ncol(x)), function(k) input(x[, k]))
  names(columns) <- colnames(x)
  infinite_terms <- if (length(infinite) == 0) character(0) else {
    idx <- as.integer(strsplit(sub(".*variable +([0-9,]+).*", "\\1", infinite[1]), ",")[[1]])
    colnames(x)[idx]
  }
  list(name = name, source = source, formula = paste(deparse(formula), collapse = ""), ties = ties,
       start = if (counting) input(y[, 1]) else NULL,
       stop = input(if (counting) y[, 2] else y[, 1]),
       event = arr(y[, ncol(y)]),
       names = structure(colnames(x), array = TRUE), columns = columns,
       coef = arr(coef(fit)), se = arr(sqrt(diag(fit$var))), z = arr(s$coefficients[, "z"]),
       p = arr(s$coefficients[, "Pr(>|z|)"]), hr = arr(ci[, "exp(coef)"]),
       lower = arr(ci[, "lower .95"]), upper = arr(ci[, "upper .95"]),
       loglik = arr(fit$loglik),
       lr = list(chisq = 2 * diff(fit$loglik), df = sum(!is.na(coef(fit))),
                 p = pchisq(2 * diff(fit$loglik), sum(!is.na(coef(fit))), lower.tail = FALSE)),
       wald = list(chisq = fit$wald.test, df = sum(!is.na(coef(fit))),
                   p = pchisq(fit$wald.test, sum(!is.na(coef(fit))), lower.tail = FALSE)),
       score = list(chisq = fit$score, df = sum(!is.na(coef(fit))),
                    p = pchisq(fit$score, sum(!is.na(coef(fit))), lower.tail = FALSE)),
       concordance = fit$concordance[["concordance"]], concordance_se = fit$concordance[["std"]],
       n = fit$n, events = fit$nevent, iter = fit$iter,
       infinite = structure(infinite_terms, array = TRUE),
       zph = zph_json(fit),
       warnings = structure(other, array = TRUE))
}

# cox.zph(fit, transform = "km", terms = TRUE): per term (a factor's columns together) and global.
zph_json <- function(fit) {
  z <- tryCatch(cox.zph(fit, transform = "km", terms = TRUE), error = function(e) NULL)
  if (is.null(z)) return(NULL)
  assign <- fit$assign
  list(terms = structure(rownames(z$table), array = TRUE),
       columns = lapply(assign, function(a) arr(a - 1)),
       chisq = arr(z$table[, "chisq"]), df = arr(z$table[, "df"]), p = arr(z$table[, "p"]))
}

cases <- list()
add <- function(...) cases[[length(cases) + 1]] <<- cox_case(...)

aml2 <- aml; aml2$x <- factor(aml2$x, levels = c("Maintained", "Nonmaintained"))
add("aml-efron", "survival data set aml; x a factor (reference Maintained); ties", Surv(time, status) ~ x, aml2)
add("aml-breslow", "survival data set aml; Breslow ties", Surv(time, status) ~ x, aml2, "breslow")

# SYNTHETIC, seeded: 80 subjects, a numeric, a binary and a three-level factor covariate, times rounded
# to whole months (many ties), administrative censoring.
set.seed(20261204)
n <- 80
age <- round(runif(n, 8, 25), 2)
sex <- factor(sample(c("female", "male"), n, replace = TRUE), levels = c("female", "male"))
hist <- factor(sample(c("osteo", "ewing", "synovial"), n, replace = TRUE, prob = c(.5, .3, .2)),
               levels = c("osteo", "ewing", "synovial"))
lin <- 0.04 * (age - 16) + 0.5 * (sex == "male") + c(0, 0.7, -0.4)[as.integer(hist)]
t <- ceiling(rexp(n, exp(lin) / 14))
cens <- ceiling(runif(n, 6, 40))
syn <- data.frame(time = pmin(t, cens), status = as.integer(t <= cens), age = age, sex = sex, hist = hist)
add("seeded-efron", "synthetic: set.seed(20261204), n = 80, age + sex + 3-level factor, whole-month ties",
    Surv(time, status) ~ age + sex + hist, syn)
add("seeded-breslow", "synthetic: the same data, Breslow ties", Surv(time, status) ~ age + sex + hist, syn, "breslow")

add("heart-efron", "survival data set heart (counting process, transplant as a time-dependent covariate)",
    Surv(start, stop, event) ~ age + year + surgery + transplant, heart)
add("heart-breslow", "survival data set heart, Breslow ties",
    Surv(start, stop, event) ~ age + year + surgery + transplant, heart, "breslow")

# SYNTHETIC: separated groups: every event is in group b, so the group's coefficient runs to infinity.
sep <- data.frame(time = c(2, 3, 3, 5, 6, 8, 9, 4, 7, 10, 11, 12),
                  status = c(1, 1, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0),
                  grp = factor(c(rep("b", 7), rep("a", 5)), levels = c("a", "b")),
                  w = c(1.2, 0.3, 2.2, 1.1, 0.5, 0.9, 1.7, 0.4, 1.6, 0.8, 2.0, 1.3))
add("separated", "synthetic: every event in group b: Loglik converged before variable 1 (infinite coefficient)",
    Surv(time, status) ~ grp + w, sep)

# ---- time-dependent exposure: tmerge, Mantel-Byar, Simon-Makuch ----
# SYNTHETIC base data in days from the anchor: exposure (first mTKI start) at 0, on the day of death,
# after the anchor, never; deaths and censorings on the same days; one patient with OS time 0 (no interval).
base <- data.frame(
  id = 1:16,
  time = c(120, 45, 300, 210, 90, 400, 365, 60, 200, 150, 0, 88, 500, 300, 45, 240),
  status = c(1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1),
  mtkiStart = c(0, 45, 30, 60, NA, NA, 100, NA, 14, 7, NA, NA, 200, NA, NA, 150))
tm_input <- base[base$time > 0, ]
td <- tmerge(tm_input[, c("id", "time", "status", "mtkiStart")], tm_input, id = id,
             death = event(time, status), mtki = tdc(mtkiStart))
td$mtki[is.na(td$mtki)] <- 0
mb <- coxph(Surv(tstart, tstop, death) ~ mtki, data = td, ties = "breslow")
sm <- survfit(Surv(tstart, tstop, death) ~ mtki, data = td)
strata_of <- rep(names(sm$strata), sm$strata)
curve <- function(level) {
  k <- strata_of == paste0("mtki=", level)
  list(mtki = level, time = arr(sm$time[k]), n_risk = arr(sm$n.risk[k]), n_event = arr(sm$n.event[k]),
       n_censor = arr(sm$n.censor[k]), surv = arr(sm$surv[k]), std_err = arr(sm$std.err[k]),
       lower = arr(sm$lower[k]), upper = arr(sm$upper[k]))
}
exposure <- list(
  name = "td-exposure",
  source = "synthetic: 16 patients in days from the anchor; exposure at 0, on the day of death, later, never; one OS time 0",
  id = arr(base$id), time = input(base$time), status = arr(base$status),
  mtki_start = arr(ifelse(is.na(base$mtkiStart), NA, base$mtkiStart)),
  intervals = list(id = arr(td$id), tstart = input(td$tstart), tstop = input(td$tstop),
                   death = arr(td$death), mtki = arr(td$mtki)),
  mantel_byar = list(chisq = mb$score, df = 1, p = pchisq(mb$score, 1, lower.tail = FALSE)),
  simon_makuch = list(curve(0), curve(1)))
# The same intervals fitted as a Cox model (Efron) for the counting-process concordance with ties.
add("td-efron", "synthetic td-exposure intervals, coxph(Surv(tstart, tstop, death) ~ mtki)",
    Surv(tstart, tstop, death) ~ mtki, td)

# ---- restricted mean survival time and reverse Kaplan-Meier median follow-up ----
# Default tau: the smaller of the two groups' largest follow-up times; also a tau beyond the last time.
rmst_case <- function(name, source, time, status, group, tau = NULL) {
  d <- data.frame(time = time, status = status, group = group)
  if (is.null(tau)) tau <- min(tapply(d$time, d$group, max))
  fit <- survfit(Surv(time, status) ~ group, data = d)
  tab <- summary(fit, rmean = tau)$table
  fu <- summary(survfit(Surv(time, 1 - status) ~ group, data = d))$table
  diff <- tab[1, "rmean"] - tab[2, "rmean"]; se <- sqrt(tab[1, "se(rmean)"]^2 + tab[2, "se(rmean)"]^2)
  list(name = name, source = source, time = input(time), status = arr(status), group = arr(group), tau = tau,
       rmean = arr(tab[, "rmean"]), rmean_se = arr(tab[, "se(rmean)"]),
       difference = diff, difference_se = se, lower = diff - qnorm(0.975) * se, upper = diff + qnorm(0.975) * se,
       p = 2 * pnorm(-abs(diff / se)),
       followup_median = arr(fu[, "median"]), followup_lower = arr(fu[, "0.95LCL"]), followup_upper = arr(fu[, "0.95UCL"]))
}
rmst <- list(
  rmst_case("aml", "survival data set aml, default tau", aml$time, aml$status, as.integer(aml$x)),
  rmst_case("aml-tau-200", "survival data set aml, tau 200 beyond every time", aml$time, aml$status, as.integer(aml$x), 200),
  rmst_case("seeded", "synthetic seeded data above, grouped by sex, whole-month ties", syn$time, syn$status, as.integer(syn$sex)),
  rmst_case("last-event", "synthetic: every subject of group 1 dies (a step with n = d adds 0 to the variance)",
            c(1, 2, 2, 3, 4, 5, 2, 3, 3, 6, 7), c(1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0), c(1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2), 5))

# ---- stratified and weighted log-rank ----
sdiff_case <- function(name, source, time, status, group, stratum, rho) {
  d <- data.frame(time = time, status = status, group = group, stratum = stratum)
  f <- survdiff(Surv(time, status) ~ group + strata(stratum), data = d, rho = rho)
  obs <- if (is.matrix(f$obs)) rowSums(f$obs) else f$obs
  ex <- if (is.matrix(f$exp)) rowSums(f$exp) else f$exp
  df <- sum(ex > 0) - 1
  list(name = name, source = source, time = input(time), status = arr(status), group = arr(group), stratum = arr(stratum),
       rho = rho, observed = arr(obs), expected = arr(ex), variance = f$var, chisq = f$chisq, df = df,
       p = pchisq(f$chisq, df, lower.tail = FALSE))
}
hist_int <- as.integer(syn$hist)
survdiff_cases <- list(
  sdiff_case("seeded-strata", "synthetic seeded data: sex groups, histology strata, rho 0", syn$time, syn$status, as.integer(syn$sex), hist_int, 0),
  sdiff_case("seeded-strata-rho1", "the same, rho 1 (Peto-Peto)", syn$time, syn$status, as.integer(syn$sex), hist_int, 1),
  sdiff_case("aml-rho-half", "survival data set aml, one stratum, rho 0.5", aml$time, aml$status, as.integer(aml$x), rep(1, nrow(aml)), 0.5),
  sdiff_case("seeded-three-groups", "synthetic seeded data: histology groups, sex strata, rho 1", syn$time, syn$status, hist_int, as.integer(syn$sex), 1))

ref <- list(
  generator = "tests/Timeline.Tests/Statistics/reference/make-comparisons-reference.R",
  r_version = R.version.string,
  survival_version = as.character(packageVersion("survival")),
  cox = cases,
  exposure = exposure,
  rmst = rmst,
  survdiff = survdiff_cases)
writeLines(to_json(ref), "comparisons-reference.json")
cat("wrote comparisons-reference.json with R", ref$r_version, "and survival", ref$survival_version, "\n")
