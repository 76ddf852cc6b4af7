// pb/satisfaction.cpp: see satisfaction.hpp.
#include "pb/satisfaction.hpp"

#include "pb/assert.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <numeric>
#include <string>
#include <unordered_map>

namespace wijkbudget::pb {

namespace {

//! One supported project of a ballot, as the grouping key stores it.
struct SupportItem {
    ProjectIndex project{0};
    UtilityIndex utility{0};
};

std::vector<std::uint32_t> IdRanks(const Instance& instance)
{
    std::vector<std::uint32_t> order(instance.projects.size());
    std::iota(order.begin(), order.end(), 0u);
    // UTF-8 byte order is code point order, which is how Python compares str.
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return instance.projects[a].id < instance.projects[b].id;
    });
    std::vector<std::uint32_t> rank(order.size());
    for (std::uint32_t position = 0; position < order.size(); ++position) {
        rank[order[position]] = position;
    }
    return rank;
}

class ProfileBuilder
{
public:
    ProfileBuilder(const Instance& instance, Satisfaction satisfaction) : m_instance{instance}
    {
        m_profile.satisfaction = satisfaction;
        m_profile.budget = instance.budget;
        m_profile.ballot_count = instance.BallotCount();
        for (const Project& project : instance.projects)
            m_profile.cost.push_back(project.cost);
        m_profile.id_rank = IdRanks(instance);
        m_profile.listed_count.assign(instance.projects.size(), 0);
        m_profile.points_total.assign(instance.projects.size(), 0);
    }

    SatisfactionProfile Build()
    {
        for (std::size_t ballot = 0; ballot < m_instance.BallotCount(); ++ballot)
            AddBallot(ballot);
        Totals();
        Supporters();
        return std::move(m_profile);
    }

private:
    UtilityIndex UtilityOf(const mpq_class& points)
    {
        const auto [found, added] = m_utility_index.try_emplace(
            points, static_cast<UtilityIndex>(m_profile.utility_values.size()));
        if (added) m_profile.utility_values.push_back(points);
        return found->second;
    }

    void AddBallot(std::size_t ballot)
    {
        m_items.clear();
        const bool cardinal = m_profile.satisfaction == Satisfaction::cardinal;
        const std::size_t begin = m_instance.ballot_begin[ballot];
        const auto projects = m_instance.BallotProjects(ballot);
        for (std::size_t i = 0; i < projects.size(); ++i) {
            const ProjectIndex project = projects[i];
            ++m_profile.listed_count[project];
            if (m_instance.HasPoints())
                m_profile.points_total[project] += m_instance.item_points[begin + i];
            if (cardinal) {
                const mpq_class& points = m_instance.item_points[begin + i];
                if (points > 0) m_items.push_back(SupportItem{project, UtilityOf(points)});
            } else if (m_profile.cost[project] > 0) {
                m_items.push_back(SupportItem{project, 0});
            }
        }
        if (m_items.empty()) return; // supports nothing: counts in n, pays for nothing
        std::sort(m_items.begin(), m_items.end(),
                  [](const SupportItem& a, const SupportItem& b) { return a.project < b.project; });
        std::string key(m_items.size() * sizeof(SupportItem), '\0');
        std::memcpy(key.data(), m_items.data(), key.size());
        const auto [group, added] =
            m_group_index.try_emplace(std::move(key), static_cast<GroupIndex>(m_groups.size()));
        if (added) {
            m_groups.push_back(m_items);
            m_profile.group_weight.push_back(0);
        }
        ++m_profile.group_weight[group->second];
    }

    void Totals()
    {
        auto& profile = m_profile;
        profile.satisfaction_total.resize(profile.ProjectCount());
        for (std::size_t p = 0; p < profile.ProjectCount(); ++p) {
            if (!m_instance.HasPoints()) profile.points_total[p] = profile.listed_count[p];
            if (profile.satisfaction == Satisfaction::cardinal) {
                profile.satisfaction_total[p] = profile.points_total[p];
            } else {
                profile.satisfaction_total[p] = profile.cost[p] * profile.listed_count[p];
            }
        }
    }

    void Supporters()
    {
        auto& profile = m_profile;
        std::vector<std::size_t> count(profile.ProjectCount() + 1, 0);
        for (const auto& items : m_groups) {
            for (const SupportItem& item : items)
                ++count[item.project + 1];
        }
        std::partial_sum(count.begin(), count.end(), count.begin());
        profile.supporter_begin = count;
        profile.supporters.resize(count.back());
        for (GroupIndex group = 0; group < m_groups.size(); ++group) {
            for (const SupportItem& item : m_groups[group]) {
                profile.supporters[count[item.project]++] = Supporter{group, item.utility};
            }
        }
        // After the scatter, each project's cursor stands at the next project's first supporter.
        WB_PB_ASSERT(profile.ProjectCount() == 0 ||
                     count[profile.ProjectCount() - 1] == profile.supporters.size());
    }

    const Instance& m_instance;
    SatisfactionProfile m_profile;
    std::vector<SupportItem> m_items;
    std::vector<std::vector<SupportItem>> m_groups;
    std::unordered_map<std::string, GroupIndex> m_group_index;
    std::map<mpq_class, UtilityIndex> m_utility_index;
};

} // namespace

SatisfactionProfile MakeSatisfactionProfile(const Instance& instance, Satisfaction satisfaction)
{
    WB_PB_ASSERT(satisfaction == Satisfaction::cost || instance.HasPoints());
    return ProfileBuilder{instance, satisfaction}.Build();
}

} // namespace wijkbudget::pb
