using System.Globalization;
using System.Text.Json;
using Marten;
using Npgsql;
using Timeline.Projections.Catalogue;
using Timeline.Projections.ReadModels;
using Timeline.Recording;
using Wolverine.Http;

namespace Timeline.Reading;

public sealed record PatientListItem(string PatientId, string? Histology, string? HistologyName, string Status, long Version);

/// <summary>
/// The patient list, from the current rows of the analyses' read model (status and version kept with each state).
/// With <c>limit</c> a page in patient id order (keyset: <c>after</c> the last id of the previous page) and a
/// <c>Link: rel="next"</c> header while more remain; without it every patient, streamed as it is read.
/// </summary>
public static partial class ListPatientsEndpoint
{
    public const int DefaultLimit = 100, MaxLimit = 1000;
    public static readonly string[] Statuses = ["enrolled", "diagnosed", "on-treatment", "off-treatment", "deceased"];

    [WolverineGet("/api/patients", OperationId = "ListPatients")]
    public static IResult Get(string? histology, string? status, string? q, int? limit, string? after, IDocumentStore store)
    {
        var code = ParseHistologyFilter(histology, out var problem);
        if (problem is not null) return problem;
        if (!string.IsNullOrEmpty(status) && !Statuses.Contains(status))
            return Problems.Invalid("status", $"status '{status}' must be one of {string.Join(", ", Statuses)}.");
        if (!string.IsNullOrEmpty(q) && !IdPrefix().IsMatch(q))
            return Problems.Invalid("q", "q is the start of a patient id: letters, digits, '-' and '_'.");
        if (!string.IsNullOrEmpty(after) && !FieldErrors.PatientIdPattern().IsMatch(after))
            return Problems.Invalid("after", "after is the last patient id of the previous page.");
        if (limit is < 1 or > MaxLimit)
            return Problems.Invalid("limit", $"limit must be between 1 and {MaxLimit} (default {DefaultLimit} when paging).");
        return new PatientListResult(store, new ListQuery(code, histology, NullIfEmpty(status), NullIfEmpty(q),
            // A next page (after) without a limit gets the default page size.
            limit ?? (string.IsNullOrEmpty(after) ? null : DefaultLimit), NullIfEmpty(after)));
    }

    /// <summary>The start of a patient id: its characters, at most its length (the whole string: \z, not $).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\A[A-Za-z0-9_-]{1,64}\z")]
    private static partial System.Text.RegularExpressions.Regex IdPrefix();

    static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    /// <summary>A ?histology= filter (a study name or an ICD-O-3 code) as a code; null for no filter.</summary>
    public static string? ParseHistologyFilter(string? histology, out IResult? problem)
    {
        var code = Histologies.ToCode(histology);
        problem = !string.IsNullOrWhiteSpace(histology) && code is null
            ? Problems.Invalid("histology", $"histology '{histology}' is neither a known name nor an ICD-O-3 morphology code.")
            : null;
        return code;
    }

    sealed record ListQuery(string? HistologyCode, string? Histology, string? Status, string? Prefix, int? Limit, string? After);

    /// <summary>Writes the answer while the rows are read: a page, or the whole list without holding it in memory.</summary>
    sealed class PatientListResult(IDocumentStore store, ListQuery query) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var ct = http.RequestAborted;
            await using var connection = store.Storage.Database.CreateConnection();
            await connection.OpenAsync(ct);
            await using var command = Command(connection);
            await using var reader = await command.ExecuteReaderAsync(ct);

            // A page reads one row more than it shows, to know whether a next page exists before the body starts.
            var page = new List<PatientListItem>();
            var more = false;
            if (query.Limit is { } limit)
            {
                while (await reader.ReadAsync(ct))
                {
                    if (page.Count == limit) { more = true; break; }
                    page.Add(Item(reader));
                }
                if (more) http.Response.Headers.Link = $"<{NextPage(page[^1].PatientId)}>; rel=\"next\"";
            }
            http.Response.ContentType = "application/json; charset=utf-8";
            await using var json = new Utf8JsonWriter(http.Response.BodyWriter.AsStream());
            json.WriteStartArray();
            if (query.Limit is not null)
            {
                foreach (var item in page) Write(json, item);
            }
            else
            {
                while (await reader.ReadAsync(ct))
                {
                    Write(json, Item(reader));
                    if (json.BytesPending > 32 * 1024) await json.FlushAsync(ct);
                }
            }
            json.WriteEndArray();
            await json.FlushAsync(ct);
        }

        NpgsqlCommand Command(NpgsqlConnection connection)
        {
            var command = new NpgsqlCommand { Connection = connection };
            var where = new List<string> { "valid_to is null" };
            void Filter(string sql, object value)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
                where.Add(sql.Replace("@", "$" + command.Parameters.Count.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
            }
            if (query.HistologyCode is { } code) Filter("histology = @", code);
            if (query.Status is { } status) Filter("status = @", status);
            // Ids are letters, digits, '-' and '_', all below '~' in byte order: [prefix, prefix + "~") is the prefix.
            if (query.Prefix is { } prefix) { Filter("patient_id collate \"C\" >= @", prefix); Filter("patient_id collate \"C\" < @", prefix + "~"); }
            if (query.After is { } after) Filter("patient_id collate \"C\" > @", after);
            command.CommandText = $"select patient_id, histology, status, version from {store.Options.DatabaseSchemaName}.{AnalysisInputs.TableName} "
                + $"where {string.Join(" and ", where)} order by patient_id collate \"C\""
                + (query.Limit is { } limit ? $" limit {limit + 1}" : "");
            return command;
        }

        string NextPage(string last)
        {
            var parameters = new List<string> { $"limit={query.Limit}", $"after={Uri.EscapeDataString(last)}" };
            if (query.Histology is { } h) parameters.Add($"histology={Uri.EscapeDataString(h)}");
            if (query.Status is { } s) parameters.Add($"status={Uri.EscapeDataString(s)}");
            if (query.Prefix is { } q) parameters.Add($"q={Uri.EscapeDataString(q)}");
            return "/api/patients?" + string.Join("&", parameters);
        }

        static PatientListItem Item(NpgsqlDataReader r)
        {
            var histology = r.IsDBNull(1) ? null : r.GetString(1);
            return new PatientListItem(r.GetString(0), histology, Histologies.NameOf(histology), r.GetString(2), r.GetInt64(3));
        }

        static void Write(Utf8JsonWriter json, PatientListItem item)
        {
            json.WriteStartObject();
            json.WriteString("patientId", item.PatientId);
            json.WriteString("histology", item.Histology);
            json.WriteString("histologyName", item.HistologyName);
            json.WriteString("status", item.Status);
            json.WriteNumber("version", item.Version);
            json.WriteEndObject();
        }
    }
}
