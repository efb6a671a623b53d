using Microsoft.AspNetCore.Http.HttpResults;

namespace MiniGptMed.DicomNode.Http.Api;

/// <summary>RFC 9457 problem details with the node's wording: the detail says what is wrong, naming the field.</summary>
internal static class Problems
{
    public static ProblemHttpResult BadRequest(string field, string message) =>
        TypedResults.Problem(detail: $"{field}: {message}", statusCode: StatusCodes.Status400BadRequest, title: "Invalid request",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Not allowed in this state");
}
