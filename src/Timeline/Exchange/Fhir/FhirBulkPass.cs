namespace Timeline.Exchange.Fhir;

/// <summary>
/// One read of the exported charts for all five NDJSON files. The zip takes its entries one after another, so the
/// first file (Patient) is written as the charts are read, and every other type's lines go to a temporary file of
/// its own meanwhile, copied into its entry when its turn comes. (Reading the charts once per type took five passes
/// over the log: 104 s at 100,000 patients.) The temporary files are <see cref="ExportSpool"/>s.
/// </summary>
public sealed class FhirBulkPass(Func<CancellationToken, IAsyncEnumerable<Hl7.Fhir.Model.Resource>> resources, IReadOnlyList<string> types)
{
    static readonly byte[] LineEnd = "\n"u8.ToArray();
    readonly Dictionary<string, FileStream> spooled = new(StringComparer.Ordinal);
    bool read;

    /// <summary>Writes the lines of one resource type: the first type asked for reads the charts, the others copy their spool.</summary>
    public async Task WriteAsync(string type, Stream output, CancellationToken ct)
    {
        if (!read)
        {
            read = true;
            foreach (var other in types.Where(t => t != type))
                spooled[other] = ExportSpool.Create("fhir");
            try
            {
                await foreach (var resource in resources(ct))
                {
                    var destination = resource.TypeName == type ? output : spooled[resource.TypeName];
                    // Serialised to memory first: the response and the zip take asynchronous writes only.
                    await destination.WriteAsync(FhirJson.Bytes(resource), ct);
                    await destination.WriteAsync(LineEnd, ct);
                }
            }
            catch
            {
                foreach (var file in spooled.Values) await file.DisposeAsync();
                throw;
            }
            return;
        }
        await ExportSpool.DrainAsync(spooled[type], output, ct);
    }
}
