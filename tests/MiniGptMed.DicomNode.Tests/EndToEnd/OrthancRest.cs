using System.Text.Json;
using System.Text.Json.Nodes;
using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.EndToEnd;

/// <summary>What the end-to-end tests ask of Orthanc through its REST API (the Orthanc Book, "REST API of the Orthanc core").</summary>
internal static class OrthancRest
{
    /// <summary>POST /instances with the file's bytes; returns Orthanc's study ID.</summary>
    public static async Task<string> UploadAsync(this OrthancServer orthanc, string path)
    {
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(path));
        using var response = await orthanc.Http.PostAsync("instances", content);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("ParentStudy").GetString()!;
    }

    /// <summary>PUT /modalities/{name}: the node becomes a DICOM modality Orthanc can send to.</summary>
    public static async Task DeclareModalityAsync(this OrthancServer orthanc, string name, string aeTitle, int port)
    {
        var body = new JsonObject { ["AET"] = aeTitle, ["Host"] = "127.0.0.1", ["Port"] = port };
        using var response = await orthanc.Http.PutAsync($"modalities/{name}", new StringContent(body.ToJsonString()));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>POST /modalities/{name}/store, synchronous: Orthanc's C-STORE SCU sends the studies; throws if it failed.</summary>
    public static async Task SendAsync(this OrthancServer orthanc, string modality, params string[] resources)
    {
        var body = new JsonObject { ["Resources"] = new JsonArray([.. resources.Select(r => (JsonNode)r)]), ["Synchronous"] = true };
        using var response = await orthanc.Http.PostAsync($"modalities/{modality}/store", new StringContent(body.ToJsonString()));
        Assert.True(response.IsSuccessStatusCode, $"store to {modality}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{orthanc.Log}");
    }

    /// <summary>The study's series: Orthanc ID, Modality, number of instances.</summary>
    public static async Task<IReadOnlyList<(string Id, string Modality, int Instances)>> SeriesAsync(this OrthancServer orthanc, string studyId)
    {
        var series = await orthanc.GetJsonAsync($"studies/{studyId}/series");
        return series.EnumerateArray()
            .Select(s => (s.GetProperty("ID").GetString()!, s.GetProperty("MainDicomTags").TryGetProperty("Modality", out var m) ? m.GetString() ?? "" : "",
                s.GetProperty("Instances").GetArrayLength()))
            .ToList();
    }

    /// <summary>Every instance of the study whose series has the modality: (Orthanc ID, SOP Instance UID).</summary>
    public static async Task<IReadOnlyList<(string Id, string SopInstanceUid)>> InstancesAsync(this OrthancServer orthanc, string studyId, string modality)
    {
        var list = new List<(string, string)>();
        foreach (var series in (await orthanc.SeriesAsync(studyId)).Where(s => s.Modality == modality))
        {
            var instances = await orthanc.GetJsonAsync($"series/{series.Id}/instances");
            list.AddRange(instances.EnumerateArray().Select(i => (i.GetProperty("ID").GetString()!, i.GetProperty("MainDicomTags").GetProperty("SOPInstanceUID").GetString()!)));
        }

        return list;
    }

    /// <summary>GET /instances/{id}/file into <paramref name="path"/>.</summary>
    public static async Task DownloadAsync(this OrthancServer orthanc, string instanceId, string path) =>
        await File.WriteAllBytesAsync(path, await orthanc.Http.GetByteArrayAsync($"instances/{instanceId}/file"));

    /// <summary>DELETE /studies/{id}.</summary>
    public static async Task DeleteStudyAsync(this OrthancServer orthanc, string studyId)
    {
        using var response = await orthanc.Http.DeleteAsync($"studies/{studyId}");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The study's Orthanc ID from its Study Instance UID (POST /tools/lookup), or null.</summary>
    public static async Task<string?> StudyIdAsync(this OrthancServer orthanc, string studyInstanceUid)
    {
        using var response = await orthanc.Http.PostAsync("tools/lookup", new StringContent(studyInstanceUid));
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.EnumerateArray().Where(e => e.GetProperty("Type").GetString() == "Study").Select(e => e.GetProperty("ID").GetString()).FirstOrDefault();
    }
}

/// <summary>Waits on an observable condition, polling it, with a deadline (never a fixed sleep).</summary>
internal static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, Func<string> describe, int pollMilliseconds = 250)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {timeout.TotalSeconds} s: {describe()}");
            }

            await Task.Delay(pollMilliseconds);
        }
    }

    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe, int pollMilliseconds = 250) =>
        WaitAsync<object>(async () => await condition() ? new object() : null, timeout, describe, pollMilliseconds);
}
