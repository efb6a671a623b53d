using Microsoft.AspNetCore.Antiforgery;
using MiniGptMed.DicomNode.Http.Api;

namespace MiniGptMed.DicomNode.Http.Security;

/// <summary>
/// A console form's POST must carry the page's antiforgery token. UseAntiforgery checks the token of endpoints marked
/// with <see cref="RequireAntiforgeryTokenAttribute"/> but only form binding refuses a bad one; a handler that reads
/// no form field (a Retry button) is refused here.
/// </summary>
internal static class FormTokens
{
    public static TBuilder RequireFormToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequireAntiforgeryTokenAttribute()).AddEndpointFilter(async (context, next) =>
            context.HttpContext.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: true }
                ? await next(context).ConfigureAwait(false)
                : Problems.BadRequest("__RequestVerificationToken", "the form's antiforgery token is missing or not valid: reload the page and try again."));
}
