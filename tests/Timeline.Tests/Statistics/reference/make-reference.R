# Regenerates reference.json beside this script: the values R's `survival` package gives for the
# data sets below, which the tests in ../ compare against. The tests never run R; they read the JSON.
#
#   apt-get install -y r-cran-survival     # Debian's R with the recommended survival package
#   cd tests/Timeline.Tests/Statistics/reference && Rscript make-reference.R
#
# Every data set is SYNTHETIC (made up for these tests, no patient data) except `aml`, which is the
# public acute myelogenous leukaemia data shipped with the survival package (Miller RG, Survival
# Analysis, Wiley 1997; Embury et al., West J Med 1977). Numbers are written with 15 significant
# digits; R's NA is written as null and NaN as the string "NaN", Inf as "Inf".

suppressPackageStartupMessages(library(survival))

# ---- a minimal JSON writer (base R only, so the script needs nothing beyond r-cran-survival) ----
num <- function(x, digits = 15) {
  if (is.nan(x)) return("\"NaN\"")
  if (is.na(x)) return("null")
  if (is.infinite(x)) return(if (x > 0) "\"Inf\"" else "\"-Inf\"")
  sprintf(paste0("%.", digits, "g"), x)
}
str_ <- function(s) paste0("\"", gsub("\"", "\\\\\"", s), "\"")
to_json <- function(v, indent = "") {
  inner <- paste0(indent, "  ")
  if (is.null(v)) return("null")
  if (is.list(v)) {
    if (!is.null(names(v))) {
      items <- mapply(function(k, x) paste0(inner, str_(k), ": ", to_json(x, inner)), names(v), v)
      return(paste0("{\n", paste(items, collapse = ",\n"), "\n", indent, "}"))
    }
    items <- vapply(v, function(x) paste0(inner, to_json(x, inner)), "")
    return(paste0("[\n", paste(items, collapse = ",\n"), "\n", indent, "]"))
  }
  if (is.character(v)) {
    if (length(v) == 1 && is.null(attr(v, "array"))) return(str_(v))
    return(paste0("[", paste(vapply(v, str_, ""), collapse = ", "), "]"))
  }
  if (is.matrix(v)) return(to_json(lapply(seq_len(nrow(v)), function(i) as.numeric(v[i, ])), indent))
  digits <- if (is.null(attr(v, "digits"))) 15 else attr(v, "digits")
  if (length(v) == 1 && is.null(attr(v, "array"))) return(num(as.numeric(v), digits))
  paste0("[", paste(vapply(as.numeric(v), num, "", digits = digits), collapse = ", "), "]")
}
arr <- function(v) { v <- as.numeric(v); attr(v, "array") <- TRUE; v }
# Inputs are written with 17 digits, so the tests read back exactly the doubles R used.
input <- function(v) { v <- arr(v); attr(v, "digits") <- 17; v }

# ---- the data sets ----
datasets <- list()
add <- function(name, source, time, status, group = rep(1L, length(time)), probs = c(0.25, 0.5, 0.75)) {
  datasets[[length(datasets) + 1]] <<- list(name = name, source = source, time = time,
                                            status = status, group = as.integer(group), probs = probs)
}

add("aml", "survival package data set aml (Miller 1997; Embury et al. 1977); group 1 = Maintained, 2 = Nonmaintained",
    aml$time, aml$status, as.integer(aml$x))

# SYNTHETIC: heavy ties, events and censorings at the same times, two groups of 20.
add("ties-heavy", "synthetic: heavy ties with events and censorings at the same times, two groups",
    time   = c(1,1,1,2,2,2,2,3,3,3,4,4,4,4,5,5,6,6,7,8,   1,1,2,2,2,3,3,3,3,4,4,5,5,5,5,6,6,7,7,8),
    status = c(1,1,0,1,1,0,0,1,1,0,1,0,0,1,1,1,0,1,1,0,   1,0,1,1,1,1,0,0,1,1,1,1,0,1,1,0,1,1,0,1),
    group  = c(rep(1, 20), rep(2, 20)))

# SYNTHETIC: group 1 never falls to 0.5 (3 events in 12), group 2 does.
add("never-median", "synthetic: group 1 never reaches its median (3 events among 12), group 2 does",
    time   = c(2,4,5,6,7,8,9,10,11,12,13,14,   1,2,3,3,5,6,8,9,11,12),
    status = c(1,0,1,0,0,1,0,0,0,0,0,0,        1,1,1,0,1,1,0,1,1,0),
    group  = c(rep(1, 12), rep(2, 10)))

# SYNTHETIC: S = 0.5 exactly on [2, 3): both of R's rules give the midpoint 2.5.
add("exact-half", "synthetic: events at 1, 2, 3, 4 (n = 4), S is exactly 0.5 on [2, 3)",
    time = c(1, 2, 3, 4), status = c(1, 1, 1, 1))

# SYNTHETIC: S = 0.5 from t = 2 to the last (censored) time 4: print.survfit gives 2, quantile() gives 3.
add("half-to-end", "synthetic: events at 1, 2, censorings at 3, 4 (n = 4), S stays 0.5 to the end",
    time = c(1, 2, 3, 4), status = c(1, 1, 0, 0))

# SYNTHETIC: three groups with ties within and across groups.
add("three-groups", "synthetic: three groups with ties within and across groups",
    time   = c(3,5,5,7,9,9,12,14,15,20,   2,3,3,5,6,6,8,10,10,11,   4,5,7,7,9,13,16,16,18,22),
    status = c(1,1,0,1,1,1,0,1,0,0,       1,1,1,1,0,1,1,1,0,1,       0,1,1,0,1,1,0,1,1,0),
    group  = rep(1:3, each = 10))

# SYNTHETIC: group 4 is censored (at 0.5) before the first event: its expected count is 0, so
# survdiff drops it from the test and df = 2, not 3.
add("zero-expected", "synthetic: four groups, group 4 all censored before the first event (df = 2)",
    time   = c(1,3,4,6,8,   2,2,5,7,9,   1,4,4,6,10,   0.5,0.5),
    status = c(1,1,0,1,1,   1,0,1,1,0,   1,1,1,0,1,    0,0),
    group  = c(rep(1, 5), rep(2, 5), rep(3, 5), 4, 4))

# SYNTHETIC: the last observation of each group is an event, so S reaches 0 (std.err Inf, limits NA).
add("last-event", "synthetic: the last observation is an event in both groups, S reaches 0",
    time   = c(1,2,2,3,4,5,   2,3,3,6,6),
    status = c(1,1,0,1,1,1,   1,0,1,1,1),
    group  = c(rep(1, 6), rep(2, 5)))

# SYNTHETIC: everyone censored: S = 1 throughout, log-log limits NA, no median.
add("all-censored", "synthetic: every observation censored",
    time = c(2, 3, 3, 5, 8), status = c(0, 0, 0, 0, 0))

# SYNTHETIC: times differing by less than sqrt(machine epsilon): R's timefix (aeqSurv) treats them as tied.
add("near-ties", "synthetic: times 1 and 1 + 1e-10 etc., tied by R's timefix (aeqSurv), within and across groups",
    time   = c(1, 1 + 1e-10, 2, 3, 3 + 1e-9,   1 + 2e-10, 2 - 1e-12, 2, 4, 5),
    status = c(1, 1, 1, 0, 1,                  1, 0, 1, 1, 1),
    group  = c(1, 1, 1, 1, 1,                  2, 2, 2, 2, 2))

# SYNTHETIC, seeded: two arms of 40, exponential times in days (medians about 300 and 450),
# administrative censoring at 730 days and uniform drop-out, expressed in months (days / 30.4375).
set.seed(20240501)
days <- c(round(rexp(40, log(2) / 300)), round(rexp(40, log(2) / 450)))
dropout <- round(runif(80, 60, 1500))
obs <- pmin(days, dropout, 730)
add("seeded-months", "synthetic: set.seed(20240501), two arms of 40, exponential days, censored, in months",
    time = obs / 30.4375, status = as.integer(days <= pmin(dropout, 730)), group = rep(1:2, each = 40))

# SYNTHETIC, seeded: a small sample whose upper log limit is not monotone near S = 0.75. R's
# quantile.survfit (findq) then gives, for p = 0.2 and 0.25, the time of the largest upper limit at or
# below 1 - p (28), not the first time the limit falls there (24): the port must reproduce that.
set.seed(36)
n36 <- sample(5:25, 1)
t36 <- sample(1:30, n36, replace = TRUE); s36 <- rbinom(n36, 1, runif(1, 0.3, 0.95))
add("seeded-quirk", "synthetic: set.seed(36), n = sample(5:25), times sample(1:30), events rbinom",
    time = t36, status = s36, probs = c(0.1, 0.2, 0.25, 0.5, 0.75, 0.9))

conf_types <- c("log", "log-log", "plain")

curve_json <- function(d, g) {
  keep <- d$group == g
  dd <- data.frame(time = d$time[keep], status = d$status[keep])
  out <- list(group = g)
  for (ct in conf_types) {
    f <- survfit(Surv(time, status) ~ 1, data = dd, conf.type = ct)
    if (ct == "log") {
      out$n <- f$n; out$events <- sum(f$n.event)
      out$time <- arr(f$time); out$n_risk <- arr(f$n.risk); out$n_event <- arr(f$n.event)
      out$n_censor <- arr(f$n.censor); out$surv <- arr(f$surv); out$std_err <- arr(f$std.err)
      s <- summary(f)   # event times only; std.err here is of S, not of log S
      out$summary_time <- arr(s$time); out$summary_std_err <- arr(s$std.err)
      risk_times <- sort(unique(c(0, min(dd$time) / 2, dd$time[1], median(dd$time),
                                  (dd$time[1] + max(dd$time)) / 2, max(dd$time), max(dd$time) + 1)))
      out$risk_times <- arr(risk_times)
      out$n_risk_at <- arr(summary(f, times = risk_times, extend = TRUE)$n.risk)
    }
    tab <- summary(f)$table
    q <- quantile(f, probs = d$probs)
    out[[ct]] <- list(lower = arr(f$lower), upper = arr(f$upper),
                      median = tab[["median"]], median_lcl = tab[["0.95LCL"]], median_ucl = tab[["0.95UCL"]],
                      probs = arr(d$probs), quantile = arr(q$quantile), quantile_lower = arr(q$lower),
                      quantile_upper = arr(q$upper))
  }
  out
}

dataset_json <- function(d) {
  groups <- sort(unique(d$group))
  res <- list(name = d$name, source = d$source, time = input(d$time), status = arr(d$status),
              group = arr(d$group), curves = lapply(groups, function(g) curve_json(d, g)))
  if (length(groups) > 1) {
    sd <- survdiff(Surv(time, status) ~ factor(group), data = data.frame(time = d$time, status = d$status, group = d$group))
    df <- sum(sd$exp > 0) - 1
    res$logrank <- list(observed = arr(sd$obs), expected = arr(sd$exp), variance = sd$var,
                        chisq = sd$chisq, df = df, p = pchisq(sd$chisq, df, lower.tail = FALSE))
  }
  res
}

binomial <- lapply(list(c(3, 18, 0.95), c(0, 10, 0.95), c(10, 10, 0.95), c(1, 1, 0.95), c(0, 1, 0.95),
                        c(7, 23, 0.95), c(50, 100, 0.95), c(3, 18, 0.90), c(12, 40, 0.99)), function(a) {
  b <- binom.test(a[1], a[2], conf.level = a[3])
  list(x = a[1], n = a[2], level = a[3], estimate = unname(b$estimate),
       lower = b$conf.int[1], upper = b$conf.int[2])
})

set.seed(11)
vectors <- list(single = c(5), three = c(3, 1, 2), four = c(4, 1, 3, 2), ties = c(1, 2, 2, 2, 9, 10),
                seeded = round(rnorm(11, 100, 15), 1), months = c(0.5, 12.25, 3.75, 7, 7, 30.4375, 18))
descriptive <- lapply(names(vectors), function(k) {
  x <- vectors[[k]]
  q <- quantile(x, c(0.25, 0.5, 0.75), type = 7, names = FALSE)
  list(name = k, x = input(x), median = median(x), min = min(x), max = max(x), q1 = q[1], q3 = q[3],
       p10 = quantile(x, 0.1, type = 7, names = FALSE), p90 = quantile(x, 0.9, type = 7, names = FALSE))
})

ref <- list(
  generator = "tests/Timeline.Tests/Statistics/reference/make-reference.R",
  r_version = R.version.string,
  survival_version = as.character(packageVersion("survival")),
  datasets = lapply(datasets, dataset_json),
  binomial = binomial,
  descriptive = descriptive)

writeLines(to_json(ref), "reference.json")
cat("wrote reference.json with R", ref$r_version, "and survival", ref$survival_version, "\n")
