using JasperFx.Events;
using Marten.Events.Aggregation;
using Timeline.Projections.Events;

namespace Timeline.Projections.Review;

/// <summary>One message of a query's dialogue: raised, answered, closed or reopened, by whom, when.</summary>
public sealed record QueryMessage(string Kind, string? Text, string By, DateTimeOffset At);

/// <summary>
/// A data query as the worklist shows it: on which patient and fact, its state, and the whole dialogue.
/// Open → answered (the recorder) → closed (the auditor); reopened → open. Also the write model of its stream.
/// </summary>
public sealed class DataQuery
{
    public string Id { get; set; } = "";
    public string PatientId { get; set; } = "";
    public Guid? EventId { get; set; }
    public QueryStatus Status { get; set; }
    public string RaisedBy { get; set; } = "";
    public DateTimeOffset RaisedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public long Version { get; set; }
    public List<QueryMessage> Messages { get; set; } = [];

    public void Apply(long version, object data)
    {
        Version = version;
        switch (data)
        {
            case QueryRaised r:
                (PatientId, EventId, Status, RaisedBy, RaisedAt) = (r.PatientId, r.EventId, QueryStatus.Open, r.By, r.At);
                Add("raised", r.Text, r.By, r.At);
                break;
            case QueryAnswered a:
                Status = QueryStatus.Answered;
                Add("answered", a.Text, a.By, a.At);
                break;
            case QueryClosed c:
                Status = QueryStatus.Closed;
                Add("closed", null, c.By, c.At);
                break;
            case QueryReopened o:
                Status = QueryStatus.Open;
                Add("reopened", o.Text, o.By, o.At);
                break;
        }
    }

    void Add(string kind, string? text, string by, DateTimeOffset at)
    {
        Messages.Add(new QueryMessage(kind, text, by, at));
        UpdatedAt = at;
    }
}

/// <summary>Kept inline, in the transaction of each query event, so the worklist is never behind the dialogue.</summary>
public sealed partial class DataQueryProjection : SingleStreamProjection<DataQuery, string>
{
    /// <summary>Only query streams: a patient's append never touches (or loads) a query document.</summary>
    public DataQueryProjection()
    {
        IncludeType<QueryRaised>();
        IncludeType<QueryAnswered>();
        IncludeType<QueryClosed>();
        IncludeType<QueryReopened>();
    }

    public override DataQuery? Evolve(DataQuery? snapshot, string id, IEvent e)
    {
        // A query begins with its raising; a rebuild that hands over a patient's stream makes no query of it.
        if (snapshot is null && e.Data is not QueryRaised) return null;
        snapshot ??= new DataQuery { Id = id };
        snapshot.Apply(e.Version, e.Data);
        return snapshot;
    }
}
