namespace Timeline.Review;

public static class ReviewSetup
{
    /// <summary>The bodies of the review routes, whose malformed JSON Wolverine would log at Error with the path.</summary>
    static readonly Type[] Requests = [typeof(RaiseQuery), typeof(QueryText), typeof(LockPatient), typeof(SignRecord)];

    /// <summary>
    /// As for the recording routes: a client's malformed body is its own 400 (ExceptionProblems), never logged,
    /// because the path names a study id and the body may hold a query's text or a signer's secret.
    /// </summary>
    public static WebApplicationBuilder AddReview(this WebApplicationBuilder builder)
    {
        foreach (var request in Requests) builder.Logging.AddFilter(request.FullName, LogLevel.None);
        return builder;
    }
}
