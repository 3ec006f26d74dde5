using Marten;
using Timeline.Projections.Events;
using Timeline.Projections.Review;
using Timeline.Recording;
using Wolverine.Http;

namespace Timeline.Review;

/// <param name="Text">The answer (required), or a reason for reopening (optional).</param>
public sealed record QueryText(string? Text);

/// <summary>
/// The rest of a query's life: the recorder answers an open query, the auditor closes it (open or answered) or
/// reopens it (answered or closed). A closed query is not edited: answering or closing it again is a 409.
/// </summary>
public static partial class QueryDialogueEndpoint
{
    [WolverinePost("/api/queries/{queryId}/answer", OperationId = "AnswerQuery")]
    public static Task<IResult> Answer(string queryId, QueryText? request, IDocumentStore store, TimeProvider clock, HttpContext http)
    {
        if (request is null) return Task.FromResult(Problems.Invalid("body", "A JSON body is required."));
        var errors = new FieldErrors();
        var text = errors.Text(request.Text, "text", RaiseQueryEndpoint.MaxText);
        if (errors.Any) return Task.FromResult(errors.ToProblem());
        return Move(queryId, store, http, "answered", [QueryStatus.Open], by => new QueryAnswered(text, by, clock.GetUtcNow()));
    }

    [WolverinePost("/api/queries/{queryId}/close", OperationId = "CloseQuery")]
    public static Task<IResult> Close(string queryId, IDocumentStore store, TimeProvider clock, HttpContext http) =>
        Move(queryId, store, http, "closed", [QueryStatus.Open, QueryStatus.Answered], by => new QueryClosed(by, clock.GetUtcNow()));

    [WolverinePost("/api/queries/{queryId}/reopen", OperationId = "ReopenQuery")]
    public static Task<IResult> Reopen(string queryId, QueryText? request, IDocumentStore store, TimeProvider clock, HttpContext http)
    {
        var errors = new FieldErrors();
        var text = errors.Text(request?.Text, "text", RaiseQueryEndpoint.MaxText, required: false);
        if (errors.Any) return Task.FromResult(errors.ToProblem());
        return Move(queryId, store, http, "reopened", [QueryStatus.Answered, QueryStatus.Closed],
            by => new QueryReopened(text.Length == 0 ? null : text, by, clock.GetUtcNow()));
    }

    static async Task<IResult> Move(string queryId, IDocumentStore store, HttpContext http, string wanted, QueryStatus[] from, Func<string, object> next)
    {
        if (!QueryIdPattern().IsMatch(queryId)) return ReviewProblems.UnknownQuery(queryId);
        var by = ReviewAppends.SignedIn(http);
        DataQuery? decidedOn = null;
        object? appended = null;
        return await ReviewAppends.AppendAsync<DataQuery>(store, queryId, http,
            (query, _) =>
            {
                if (query is null) return ReviewDecision.Refuse(ReviewProblems.UnknownQuery(queryId));
                if (!from.Contains(query.Status)) return ReviewDecision.Refuse(ReviewProblems.QueryState(queryId, query.Status, wanted));
                decidedOn = query;
                appended = next(by);
                return ReviewDecision.Append(appended);
            },
            (eventId, version) =>
            {
                http.Response.Headers.ETag = $"\"{version}\"";
                return Results.Ok(new QueryAnswer(queryId, decidedOn!.PatientId, decidedOn.EventId, StatusAfter(appended!), eventId, version));
            });
    }

    static QueryStatus StatusAfter(object @event) => @event switch
    {
        QueryAnswered => QueryStatus.Answered,
        QueryClosed => QueryStatus.Closed,
        _ => QueryStatus.Open,
    };

    [System.Text.RegularExpressions.GeneratedRegex("^Q-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    public static partial System.Text.RegularExpressions.Regex QueryIdPattern();
}
