namespace Timeline.Recording;

/// <summary>200 (201 with Location for a new patient), the recorded fact, and the stream version as ETag.</summary>
public sealed record RecordedResult(RecordedFact Fact, bool Created) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.ETag = $"\"{Fact.Version}\"";
        if (Created) httpContext.Response.Headers.Location = $"/api/patients/{Uri.EscapeDataString(Fact.PatientId)}";
        return Results.Json(Fact, statusCode: Created ? StatusCodes.Status201Created : StatusCodes.Status200OK)
            .ExecuteAsync(httpContext);
    }
}
