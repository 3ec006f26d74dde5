namespace Timeline.Access;

/// <summary>What a signed-in user may do; a user holds one or more roles.</summary>
public enum Role
{
    /// <summary>Records facts and corrects them; sees the patient list and timelines to do so.</summary>
    Recorder,
    /// <summary>Replays patients: the list, timelines, histories (who recorded what, when, why) and run diffs.</summary>
    Auditor,
    /// <summary>The study's analyses only: figures, the per-patient analysis data set, stored runs. No history.</summary>
    Analyst,
    /// <summary>Everything, including regeneration and (on the command line) users.</summary>
    Admin,
    /// <summary>Reviews a patient's record (timeline, history, queries) and signs it electronically.</summary>
    Investigator,
}

/// <summary>Who may call one route, and how large a body it accepts.</summary>
/// <param name="Method">GET or POST.</param>
/// <param name="Route">The route template as declared ("/api/patients/{patientId}/history"); a trailing "/**" covers a subtree.</param>
/// <param name="Anonymous">True for the few routes anyone may call, signed in or not.</param>
/// <param name="Roles">The roles allowed besides admin (empty: admin only, unless anonymous or <paramref name="AnySignedIn"/>).</param>
/// <param name="AnySignedIn">True when every signed-in user may call it.</param>
/// <param name="MaxBodyBytes">The largest request body accepted; null: no limit (a streamed import).</param>
public sealed record RouteAccess(string Method, string Route, bool Anonymous, IReadOnlySet<Role> Roles, bool AnySignedIn, long? MaxBodyBytes)
{
    /// <summary>True when a body must be JSON (Content-Type application/json); the import reads NDJSON.</summary>
    public bool JsonBody { get; init; } = true;

    public bool Allows(IReadOnlyCollection<Role> held) =>
        Anonymous || AnySignedIn || held.Contains(Role.Admin) || held.Any(Roles.Contains);
}

/// <summary>
/// The whole access policy, route by route, in one table to audit. Admin may call every route. A route
/// missing from the table is admin only (fails closed), and a test checks that every route of the app is in it.
/// The web pages and their scripts are static files, served before any route and always anonymous: the pages
/// ask for a token and send it with each API call.
/// </summary>
public static class AccessPolicy
{
    /// <summary>The largest body of a recording request (a correction with a full replacement is well under 4 KiB).</summary>
    public const long MaxBodyBytes = 64 * 1024;

    const Role Recorder = Role.Recorder, Auditor = Role.Auditor, Analyst = Role.Analyst, Investigator = Role.Investigator;

    public static readonly IReadOnlyList<RouteAccess> Routes =
    [
        // Anyone: liveness, the API's description and its interactive page, the home redirect.
        Anyone("GET", "/health"),
        Anyone("GET", "/"),
        Anyone("GET", "/openapi/{documentName}.json"),
        Anyone("GET", "/api-docs/**"),

        // Any signed-in user: who am I and what may I do (the web pages show it).
        SignedIn("GET", "/api/me"),

        // Recording and correcting: recorders.
        Allow("POST", "/api/patients", Recorder),
        Allow("POST", "/api/patients/{patientId}/diagnosis", Recorder),
        Allow("POST", "/api/patients/{patientId}/treatment-lines", Recorder),
        Allow("POST", "/api/patients/{patientId}/treatment-lines/{line}/end", Recorder),
        Allow("POST", "/api/patients/{patientId}/responses", Recorder),
        Allow("POST", "/api/patients/{patientId}/progressions", Recorder),
        Allow("POST", "/api/patients/{patientId}/relapses", Recorder),
        Allow("POST", "/api/patients/{patientId}/adverse-events", Recorder),
        Allow("POST", "/api/patients/{patientId}/follow-ups", Recorder),
        Allow("POST", "/api/patients/{patientId}/death", Recorder),
        Allow("POST", "/api/patients/{patientId}/corrections", Recorder),
        // Bulk import is recording in bulk; its NDJSON body streams, so it has no size limit.
        Allow("POST", "/api/import", Recorder) with { MaxBodyBytes = null, JsonBody = false },

        // Patient level reading. Recorders need the list and the current timeline (event ids to correct,
        // the version for If-Match); the history (who recorded what, when, every change) is for auditors.
        // Investigators read what they sign: the record and who recorded each fact of it.
        Allow("GET", "/api/patients", Recorder, Auditor, Investigator),
        Allow("GET", "/api/patients/{patientId}/timeline", Recorder, Auditor, Investigator),
        Allow("GET", "/api/patients/{patientId}/history", Auditor, Investigator),

        // Data queries, the monitor–site dialogue: auditors (monitors) raise, close and reopen them; recorders (the
        // site) answer. The worklist is for both sides and for investigators, who should see what is still open
        // before they sign.
        Allow("POST", "/api/patients/{patientId}/queries", Auditor),
        Allow("POST", "/api/queries/{queryId}/answer", Recorder),
        Allow("POST", "/api/queries/{queryId}/close", Auditor),
        Allow("POST", "/api/queries/{queryId}/reopen", Auditor),
        Allow("GET", "/api/queries", Recorder, Auditor, Investigator),
        Allow("GET", "/api/queries/{queryId}", Recorder, Auditor, Investigator),

        // Locking a record (no new facts or corrections until unlocked) is an operator's action: admin only.
        Allow("POST", "/api/patients/{patientId}/lock"),
        Allow("POST", "/api/patients/{patientId}/unlock"),
        // Electronic signatures: investigators (an admin passes every rule, and signs under their own name).
        Allow("POST", "/api/patients/{patientId}/signatures", Investigator),

        // Analyses: analysts. The per-patient data set is the analysis input (pseudonymous ids, derived
        // intervals and groups, no history, no recorder names), so it is the analysts'.
        Allow("GET", "/api/analyses/overall-survival", Analyst),
        Allow("GET", "/api/analyses/time-to-progression", Analyst),
        Allow("GET", "/api/analyses/response", Analyst),
        Allow("GET", "/api/analyses/cohort", Analyst),
        Allow("GET", "/api/analyses/patients", Analyst),
        // The patients behind a number of a figure (values and source event ids); the history links in them
        // are given only to roles that may read the history.
        Allow("GET", "/api/analyses/overall-survival/patients", Analyst),
        Allow("GET", "/api/analyses/time-to-progression/patients", Analyst),
        Allow("GET", "/api/analyses/response/patients", Analyst),
        Allow("GET", "/api/analyses/cohort/patients", Analyst),
        // Comparisons of OS without immortal-time bias: figures and the counting-process rows behind them
        // (pseudonymous ids and derived intervals, like the per-patient data set).
        Allow("GET", "/api/analyses/overall-survival/time-dependent", Analyst),
        Allow("GET", "/api/analyses/overall-survival/time-dependent/intervals", Analyst),
        Allow("GET", "/api/analyses/overall-survival/landmark", Analyst),
        Allow("GET", "/api/analyses/overall-survival/rmst", Analyst),
        Allow("GET", "/api/analyses/overall-survival/log-rank", Analyst),
        Allow("GET", "/api/analyses/runs", Analyst, Auditor),
        Allow("GET", "/api/analyses/runs/{runId}", Analyst),
        // A diff lists the events between two runs (patient ids, correction reasons, who): patient-level history.
        Allow("GET", "/api/analyses/runs/{a}/diff/{b}", Auditor),
        // Exports: the analysis data sets (ADaM) and a cBioPortal study, built from the same per-patient outcomes as
        // the figures, with pseudonymous ids and clinical dates, no history and no recorder names: the analysts'.
        Allow("GET", "/api/exports/adam", Analyst),
        Allow("GET", "/api/exports/cbioportal", Analyst),
        // The FHIR bulk export (NDJSON of the cohort) is a bulk export like those: the analysts'.
        Allow("GET", "/api/exports/fhir", Analyst),
        // One patient's FHIR bundle holds nothing the timeline does not (the facts as corrected, their event ids), so
        // whoever may read that patient's timeline may take it to an EHR.
        Allow("GET", "/api/exports/fhir/patients/{patientId}", Recorder, Auditor, Investigator),
        // Rebuilding every projection is an operator's action.
        Allow("POST", "/api/analyses/regenerate"),
    ];

    /// <summary>The rule for a request to the route with this template; admin only when the route is not in the table.</summary>
    public static RouteAccess For(string method, string? routeTemplate) =>
        Find(method, routeTemplate) ?? new(method, routeTemplate ?? "", false, NoRoles, false, MaxBodyBytes);

    /// <summary>The table's rule for this route, or null when the table does not name it.</summary>
    public static RouteAccess? Find(string method, string? routeTemplate)
    {
        var route = Normalize(routeTemplate);
        var verb = HttpMethods.IsHead(method) ? "GET" : method.ToUpperInvariant();
        foreach (var rule in Routes)
        {
            if (rule.Method != verb) continue;
            var pattern = Normalize(rule.Route);
            var matches = pattern.EndsWith("/**", StringComparison.Ordinal)
                ? route == pattern[..^3] || route.StartsWith(pattern[..^2], StringComparison.Ordinal)
                : route == pattern;
            if (matches) return rule;
        }
        return null;
    }

    static string Normalize(string? route) => "/" + (route ?? "").Trim().Trim('/').ToLowerInvariant();

    static readonly IReadOnlySet<Role> NoRoles = new HashSet<Role>();

    static RouteAccess Anyone(string method, string route) => new(method, route, true, NoRoles, false, MaxBodyBytes);
    static RouteAccess SignedIn(string method, string route) => new(method, route, false, NoRoles, true, MaxBodyBytes);
    static RouteAccess Allow(string method, string route, params Role[] roles) => new(method, route, false, roles.ToHashSet(), false, MaxBodyBytes);
}
