# Regenerates cohort-reference.json beside this script: R's answers for the SYNTHETIC cohort that
# ../TimeDependentComparisonTests.cs records through the API (no patient data). The per-patient data are
# written here as literals, in days from the second-line relapse anchor (2019-09-01 for everyone), and the
# counting-process intervals the app must build are written out too and checked against tmerge.
#
#   cd tests/Timeline.Tests/Comparisons/reference && Rscript make-cohort-reference.R

suppressPackageStartupMessages(library(survival))
local({
  lines <- readLines("../../Statistics/reference/make-reference.R")
  start <- grep("^# ---- a minimal JSON writer", lines)
  end <- grep("^# ---- the data sets", lines) - 1
  eval(parse(text = lines[start:end]), envir = globalenv())
})

anchor <- as.Date("2019-09-01")
base <- data.frame(
  id        = sprintf("TD-%02d", 1:14),
  birth     = as.Date(c("2004-05-01", "2003-02-10", "2005-07-20", "2002-11-30", "2006-01-15", "2001-04-04", "2004-09-09",
                        "2003-03-03", "2002-06-06", "2005-12-12", "2004-02-29", "2003-08-08", "2002-01-01", "2001-10-10")),
  sex       = factor(c("female", "male", "female", "male", "female", "male", "female",
                       "male", "female", "male", "female", "male", "female", "male"), levels = c("female", "male")),
  metastatic = factor(c(FALSE, TRUE, FALSE, TRUE, TRUE, FALSE, TRUE, FALSE, FALSE, TRUE, FALSE, FALSE, TRUE, FALSE),
                      levels = c(FALSE, TRUE)),
  # osteosarcoma (9180/3) is the most frequent, so it is the reference; synovial sarcoma 9040/3 the other level
  histology = factor(c("9180/3", "9180/3", "9180/3", "9180/3", "9180/3", "9180/3", "9040/3",
                       "9180/3", "9180/3", "9040/3", "9180/3", "9180/3", "9040/3", "9180/3"), levels = c("9180/3", "9040/3")),
  time      = c(150, 60, 0, 90, 90, 240, 400, 240, 90, 180, 300, 30, 120, 200),
  status    = c(1,   1,  0, 1,  1,  1,   0,   0,   1,  1,   1,   1,  0,   1),
  mtkiStart = c(0,   60, NA, NA, NA, 30, 20,  NA,  45, NA,  100, NA, NA,  10))
base$ageAtAnchor <- as.numeric(anchor - base$birth) / 365.25

# The intervals the app must give (days): TD-01 exposed from the anchor, TD-02 treated on the day it died
# (unexposed), TD-03 no time after the anchor (no interval).
intervals <- data.frame(
  id     = c("TD-01", "TD-02", "TD-04", "TD-05", "TD-06", "TD-06", "TD-07", "TD-07", "TD-08", "TD-09", "TD-09",
             "TD-10", "TD-11", "TD-11", "TD-12", "TD-13", "TD-14", "TD-14"),
  tstart = c(0, 0, 0, 0, 0, 30, 0, 20, 0, 0, 45, 0, 0, 100, 0, 0, 0, 10),
  tstop  = c(150, 60, 90, 90, 30, 240, 20, 400, 240, 45, 90, 180, 100, 300, 30, 120, 10, 200),
  death  = c(1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 1),
  mtki   = c(1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1))
kept <- base[base$time > 0, ]
td <- tmerge(kept[, c("id", "time", "status", "mtkiStart")], kept, id = id,
             death = event(time, status), mtki = tdc(mtkiStart))
td$mtki[is.na(td$mtki)] <- 0
stopifnot(all(td$id == intervals$id), all(td$tstart == intervals$tstart), all(td$tstop == intervals$tstop),
          all(td$death == intervals$death), all(td$mtki == intervals$mtki))
td <- merge(td[, c("id", "tstart", "tstop", "death", "mtki")], base[, c("id", "ageAtAnchor", "sex", "metastatic", "histology")], by = "id")
td <- td[order(td$id, td$tstart), ]
month <- 30.4375

cox_json <- function(fit) {
  s <- summary(fit)
  list(names = structure(names(coef(fit)), array = TRUE), coef = arr(coef(fit)), se = arr(sqrt(diag(fit$var))),
       z = arr(s$coefficients[, "z"]), p = arr(s$coefficients[, "Pr(>|z|)"]), hr = arr(exp(coef(fit))),
       lower = arr(s$conf.int[, "lower .95"]), upper = arr(s$conf.int[, "upper .95"]),
       lr = list(chisq = 2 * diff(fit$loglik), df = length(coef(fit)), p = pchisq(2 * diff(fit$loglik), length(coef(fit)), lower.tail = FALSE)),
       wald = list(chisq = fit$wald.test, df = length(coef(fit)), p = pchisq(fit$wald.test, length(coef(fit)), lower.tail = FALSE)),
       score = list(chisq = fit$score, df = length(coef(fit)), p = pchisq(fit$score, length(coef(fit)), lower.tail = FALSE)),
       concordance = fit$concordance[["concordance"]], concordance_se = fit$concordance[["std"]],
       n = fit$n, events = fit$nevent, iter = fit$iter, zph = zph_json(fit))
}
zph_json <- function(fit) {
  z <- tryCatch(suppressWarnings(cox.zph(fit, transform = "km", terms = TRUE)), error = function(e) NULL)
  if (is.null(z)) return(NULL)
  list(terms = structure(rownames(z$table), array = TRUE), chisq = arr(z$table[, "chisq"]),
       df = arr(z$table[, "df"]), p = arr(z$table[, "p"]))
}
curves_json <- function(fit, labels) {
  st <- if (is.null(fit$strata)) rep(labels[1], length(fit$time)) else rep(names(fit$strata), fit$strata)
  lapply(labels, function(l) {
    k <- st == l
    list(label = l, time = arr(fit$time[k]), n_risk = arr(fit$n.risk[k]), n_event = arr(fit$n.event[k]),
         n_censor = arr(fit$n.censor[k]), surv = arr(fit$surv[k]), lower = arr(fit$lower[k]), upper = arr(fit$upper[k]))
  })
}

mb <- coxph(Surv(tstart, tstop, death) ~ mtki, data = td, ties = "breslow")
adjusted <- coxph(Surv(tstart, tstop, death) ~ mtki + ageAtAnchor + sex + metastatic, data = td)
by_histology <- coxph(Surv(tstart, tstop, death) ~ mtki + sex + histology, data = td)
sm <- survfit(Surv(tstart / month, tstop / month, death) ~ mtki, data = td)

# Landmark at 3 months: followed beyond L; mtki if the first mTKI start <= L; time from L.
L <- 3 * month
lm <- base[base$time > L, ]
lm$group <- factor(ifelse(!is.na(lm$mtkiStart) & lm$mtkiStart <= L, "mtki", "control"), levels = c("control", "mtki"))
lm$t <- (lm$time - L) / month
lm_km <- survfit(Surv(t, status) ~ group, data = lm)
lm_lr <- survdiff(Surv(t, status) ~ group, data = lm)
lm_cox <- coxph(Surv(t, status) ~ I(as.integer(group == "mtki")), data = lm)

# The naive comparison: group fixed at the anchor (TD-03, OS time 0, is a control here), Efron.
base$group <- as.integer(!is.na(base$mtkiStart))
naive <- coxph(Surv(time, status) ~ group, data = base)

# RMST to the default tau (the smaller of the groups' largest follow-up: 240 days), in months, and the
# reverse Kaplan-Meier median follow-up, naive groups.
base$months <- base$time / month
tau <- min(tapply(base$months, base$group, max))
rm_fit <- survfit(Surv(months, status) ~ group, data = base)
rm_tab <- summary(rm_fit, rmean = tau)$table      # rows group=0 (control), group=1 (mtki)
fu_tab <- summary(survfit(Surv(months, 1 - status) ~ group, data = base))$table
rm_diff <- rm_tab[2, "rmean"] - rm_tab[1, "rmean"]
rm_se <- sqrt(rm_tab[1, "se(rmean)"]^2 + rm_tab[2, "se(rmean)"]^2)

# Stratified (histology) and weighted (rho = 1) log-rank of the naive groups.
strat <- survdiff(Surv(time, status) ~ group + strata(histology), data = base, rho = 1)

ref <- list(
  generator = "tests/Timeline.Tests/Comparisons/reference/make-cohort-reference.R",
  r_version = R.version.string, survival_version = as.character(packageVersion("survival")),
  intervals = list(id = structure(intervals$id, array = TRUE), tstart = arr(intervals$tstart), tstop = arr(intervals$tstop),
                   death = arr(intervals$death), mtki = arr(intervals$mtki)),
  mantel_byar = list(chisq = mb$score, df = 1, p = pchisq(mb$score, 1, lower.tail = FALSE)),
  breslow_mtki = cox_json(mb),
  adjusted = cox_json(adjusted),
  by_histology = cox_json(by_histology),
  naive = cox_json(naive),
  stratified_logrank = list(chisq = strat$chisq, df = 1, p = pchisq(strat$chisq, 1, lower.tail = FALSE),
                            observed_mtki = sum(strat$obs[2, ]), expected_mtki = sum(strat$exp[2, ])),
  rmst = list(tau = tau, mtki = rm_tab[2, "rmean"], mtki_se = rm_tab[2, "se(rmean)"],
              control = rm_tab[1, "rmean"], control_se = rm_tab[1, "se(rmean)"],
              difference = rm_diff, difference_se = rm_se, p = 2 * pnorm(-abs(rm_diff / rm_se)),
              followup_mtki = fu_tab[2, "median"], followup_control = fu_tab[1, "median"]),
  simon_makuch = curves_json(sm, c("mtki=0", "mtki=1")),
  landmark3 = list(n = nrow(lm), curves = curves_json(lm_km, c("group=mtki", "group=control")),
                   logrank = list(chisq = lm_lr$chisq, p = pchisq(lm_lr$chisq, 1, lower.tail = FALSE)),
                   cox = cox_json(lm_cox)))
writeLines(to_json(ref), "cohort-reference.json")
print(summary(adjusted)); print(summary(by_histology)); print(lm_cox); print(table(lm$group, lm$status))
